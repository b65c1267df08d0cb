/* refbook survey: the area-by-area navigator of the whole-model survey page.
 * Shows one area's questions at a time (the others stay in the page, hidden
 * on screen only, so that printing still gives every area in scope); lists the
 * areas in scope with each one's progress and status; runs the previous and
 * next area buttons; keeps the current area in the address's fragment, so
 * that a reload or Back returns to it. The fragments are the areas' and
 * questions' ids as the page gives them (src/urls.rs): none is made here.
 * On a page without the navigator (an area page) it does nothing. On a page
 * that loads its areas on demand (whole-parts.js), it loads each area it shows.
 *
 * Provides lib.part("nav") (current, show, step, reveal).
 *
 * Loads after: survey-data.js scoring.js survey-base.js survey-store.js survey-form.js
 */
(function () {
  "use strict";

  var own = Object.prototype.hasOwnProperty;
  var S = own.call(window, "refbookSurvey") ? window.refbookSurvey : null;
  var lib = S && own.call(S, "lib") ? S.lib : null;
  if (!lib) {
    if (window.console) console.error("refbook: load assets/survey-base.js before assets/survey-nav.js; the navigator is off.");
    return;
  }
  var C = lib.need("store", "survey-nav.js");
  var F = C && lib.need("form", "survey-nav.js");
  var doc = lib.doc, $ = lib.$, $$ = lib.$$, el = lib.el, add = lib.add, clearEl = lib.clearEl;
  var navEl = $("#survey-nav"), body = $(".survey-body");
  if (!F) { lib.provide("nav", null); return; }
  if (!navEl || !body) { // an area page: every question of the area is on screen
    lib.provide("nav", { current: function () { return null; }, show: function () {}, step: function () { return null; }, reveal: function () {} });
    return;
  }

  var sections = $$("section.survey-area[data-survey-area]", body);
  var byCode = {};
  sections.forEach(function (s) { byCode[s.getAttribute("data-survey-area")] = s; });
  var items = {};
  $$("li[data-nav-area]", navEl).forEach(function (li) { items[li.getAttribute("data-nav-area")] = li; });
  var current = null;
  var P = own.call(window, "refbookParts") ? window.refbookParts : null;

  function inScope() { return sections.map(function (s) { return s.getAttribute("data-survey-area"); }).filter(C.inScope); }
  function areaName(code) { var a = C.areaByCode[code]; return a ? a.name : code; }

  /** Shows one area (its questions; the others leave the screen, not the print). */
  function show(code) {
    if (!byCode[code]) return;
    var was = current && byCode[current];
    current = code;
    // Only the two sections that change are touched: toggling every area's class restyled the whole page.
    sections.forEach(function (s) { if (!was && s !== byCode[code]) s.classList.add("nav-away"); });
    if (was && was !== byCode[code]) was.classList.add("nav-away");
    byCode[code].classList.remove("nav-away");
    var E = lib.part("evidence");
    if (E) E.area(byCode[code]);
    Object.keys(items).forEach(function (c) {
      var a = $("a", items[c]);
      if (c === code) a.setAttribute("aria-current", "location"); else a.removeAttribute("aria-current");
    });
    steps();
    status(F.scores());
    if (P && !P.loaded(code)) P.load(code, function () { if (current === code) show(code); });
  }
  /** The previous and next buttons name the area they go to, or are off at the ends. */
  function steps() {
    var list = inScope(), i = list.indexOf(current);
    $$("[data-area-step]").forEach(function (b) {
      var d = Number(b.getAttribute("data-area-step")), to = i < 0 ? null : list[i + d];
      b.disabled = !to;
      var label = $(".step-to", b);
      if (label) label.textContent = to ? to + " " + areaName(to) : "none";
    });
  }
  /** The current area's section and, when the fragment names a question, the question. */
  function fromHash() {
    var id = "";
    try { id = decodeURIComponent(window.location.hash.slice(1)); } catch (e) { id = ""; }
    var target = id ? doc.getElementById(id) : null;
    var sec = target && target.closest ? target.closest("section.survey-area[data-survey-area]") : null;
    if (!target && id && P) { // a question of an area not loaded yet: the data says whose it is
      var q = null;
      Object.keys(C.questions).some(function (k) { return C.questions[k].anchor === id && (q = C.questions[k]); });
      if (q && byCode[q.area.code]) return { code: q.area.code, target: byCode[q.area.code], id: id };
    }
    return sec && body.contains(sec) ? { code: sec.getAttribute("data-survey-area"), target: target } : null;
  }
  /** Shows the fragment's area and scrolls to what it names (once its area is loaded). */
  function showTarget(h) {
    show(h.code);
    if (h.id && P) P.load(h.code, function () { var t = doc.getElementById(h.id); if (t) t.scrollIntoView({ block: "start" }); });
    else h.target.scrollIntoView({ block: "start" });
  }
  /** A new history entry for the area, without the browser's scroll to it;
   *  location.hash (file:// where pushState is refused) comes back as a hashchange. */
  function setHash(id) {
    try { window.history.pushState(null, "", "#" + id); }
    catch (e) { quiet = id; window.location.hash = id; }
  }
  var quiet = null; // a fragment this script set itself: no scroll when it comes back as hashchange
  function go(code, scroll) {
    var list = inScope();
    if (list.indexOf(code) < 0) code = list[0];
    if (!code) return;
    var changed = code !== current;
    show(code);
    var id = byCode[code].id;
    if (window.location.hash.slice(1) !== id) setHash(id);
    if (scroll && changed) byCode[code].scrollIntoView({ block: "start" });
  }
  function step(d) {
    var list = inScope(), i = list.indexOf(current);
    var to = list[i + d];
    if (to) go(to, true);
    return to || null;
  }
  /** Brings a question's area on screen (next unanswered, the keyboard). */
  function reveal(node) {
    var sec = node.closest("section.survey-area[data-survey-area]");
    if (sec && sec.getAttribute("data-survey-area") !== current) go(sec.getAttribute("data-survey-area"), false);
  }
  window.addEventListener("hashchange", function () {
    var h = fromHash();
    var id = window.location.hash.slice(1);
    if (quiet === id) { quiet = null; return; }
    if (!id && inScope().length) { show(inScope()[0]); return; } // Back to the address without an area
    if (!h || !C.inScope(h.code)) return;
    showTarget(h);
  });

  /* ---------- the list: progress (survey-form.js), status, overall ---------- */

  function status(scores) {
    if (!scores) return;
    var answered = 0, total = 0, areas = 0;
    Object.keys(items).forEach(function (c) {
      var li = items[c], r = scores[c], out = !C.inScope(c);
      li.hidden = out; // not asked, not listed
      if (!r) return;
      var st = $(".nav-status", li);
      if (st && st.getAttribute("data-status") !== r.status) {
        st.setAttribute("data-status", r.status);
        clearEl(st);
        add(st, [el("span", { "aria-hidden": "true", "class": "sym", text: C.STATUS_SYMBOL[r.status] + " " }), C.STATUS_TEXT[r.status]]);
      }
      if (out) return;
      answered += r.answered; total += r.total; areas++;
    });
    var o = $("[data-overall]", navEl);
    if (o) o.textContent = answered + " of " + total + " questions answered in " + lib.plural(areas, "area") + " in scope";
    var bar = $("progress[data-overall-bar]", navEl);
    if (bar) { bar.max = total || 1; bar.value = answered; }
    var cur = $("[data-nav-current]", navEl), r = current && scores[current];
    if (cur && r) cur.textContent = current + " " + areaName(current) + ": " + r.answered + "/" + r.total;
  }
  F.onRefresh(function (scores) {
    status(scores);
    if (current && !C.inScope(current) && inScope().length) show(inScope()[0]); // the scope left it out
    else steps();
  });

  /* ---------- controls ---------- */

  var toggle = $(".nav-toggle", navEl), list = $("#survey-area-list");
  if (toggle && list) {
    toggle.hidden = false;
    toggle.addEventListener("click", function () {
      var open = toggle.getAttribute("aria-expanded") !== "true";
      toggle.setAttribute("aria-expanded", open ? "true" : "false");
      list.classList.toggle("open", open);
    });
    // choosing an area closes the compact list
    list.addEventListener("click", function (e) {
      if (e.target.closest && e.target.closest("a")) { toggle.setAttribute("aria-expanded", "false"); list.classList.remove("open"); }
    });
  }
  doc.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-area-step]");
    if (b) step(Number(b.getAttribute("data-area-step")));
  });
  $$(".area-steps").forEach(function (p) { p.hidden = false; });
  // The questions' form is never sent (Enter in a field must not try to).
  var form = $("form.survey-parts");
  if (form) form.addEventListener("submit", function (e) { e.preventDefault(); });

  /* ---------- start ---------- */

  body.classList.add("navigating");
  // The fragment's area, else the first in scope (the fragment, #orphans say, left as it is).
  var start = fromHash();
  if (start && C.inScope(start.code)) showTarget(start);
  else if (inScope().length) show(inScope()[0]);
  lib.provide("nav", { current: function () { return current; }, show: go, step: step, reveal: reveal });
  lib.api({ area: function () { return current; } });
})();
