/* refbook survey: targets on the results page. A target capability level per
 * area in scope, set for one area, for a whole category or for every area in
 * scope at once; saved with the answers (the answer file's `targets`), so that
 * export and import carry them. Shows each area's level against its target in
 * a table with the gap (the bar chart of survey-results.js marks the targets).
 * An area nobody answered is "not assessed", never level 0.
 *
 * Provides lib.part("targets") (gap: the gap of an area's score in words);
 * API: setTarget(codes, level).
 *
 * Loads after: survey-data.js scoring.js survey-base.js survey-store.js survey-results.js
 */
(function () {
  "use strict";

  var own = Object.prototype.hasOwnProperty;
  var S = own.call(window, "refbookSurvey") ? window.refbookSurvey : null;
  var lib = S && own.call(S, "lib") ? S.lib : null;
  if (!lib) {
    if (window.console) console.error("refbook: load assets/survey-base.js before assets/survey-targets.js; targets are off.");
    return;
  }
  var C = lib.need("store", "survey-targets.js");
  if (!C) { lib.provide("targets", null); return; }
  var $ = lib.$, el = lib.el, clearEl = lib.clearEl;
  var D = C.D, ROOT = lib.ROOT, areas = C.areas, levels = C.levels;
  // Level 0 is where every area starts: a target of 0 asks for nothing.
  var choices = levels.filter(function (l) { return l.level > 0; });

  function levelSelect(id, label, value) {
    var s = el("select", { id: id, "aria-label": label });
    s.appendChild(el("option", { value: "", text: "No target" }));
    choices.forEach(function (l) {
      var o = el("option", { value: String(l.level), text: l.level + " " + l.name });
      if (value === l.level) o.selected = true;
      s.appendChild(o);
    });
    return s;
  }
  function chosen(s) { return s.value === "" ? null : Number(s.value); }
  function inScopeCodes(list) { return list.filter(function (a) { return C.inScope(a.code); }).map(function (a) { return a.code; }); }
  function set(codes, level) { C.setTargets(codes, level); C.redraw({ print: false }); }

  /** The gap of an area to its target, in words and as a number (null when none is known). */
  function gap(r) {
    if (r.target === null || r.target === undefined) return { n: null, text: "no target" };
    if (r.status !== "assessed") return { n: null, text: C.STATUS_TEXT[r.status] };
    var n = r.target - r.level;
    return { n: n, text: n > 0 ? n + (n === 1 ? " level" : " levels") + " to go" : "target met" };
  }
  function current(a, r) { return r.status === "assessed" ? r.level + " " + (C.levelName[r.level] || "") : C.STATUS_TEXT[r.status]; }

  /** "Set every area (of a category) to ...": a select and a button. */
  function bulk(id, label, codes) {
    var s = levelSelect(id, label);
    var b = el("button", { type: "button", "data-target-set": id, text: "Set" });
    b.addEventListener("click", function () { set(codes, chosen(s)); });
    return el("span", { "class": "target-bulk" }, el("label", { "for": id, "class": "bulk-label", text: label + " " }), s, " ", b);
  }

  function render() {
    var box = $("#results-targets");
    if (!box) return;
    var scores = C.scoreAll();
    clearEl(box);
    var sec = el("section", { "class": "results-targets", "aria-labelledby": "res-tg-h" },
      el("h2", { id: "res-tg-h", text: "Targets: current level against target" }));
    sec.appendChild(el("p", { "class": "muted no-print", text: "Choose the capability level each area in scope should reach. " +
      "Targets are saved with the answers and go with them in the exported file; the roadmap below lists what reaching them takes." }));
    var tools = el("p", { "class": "target-tools no-print" }, bulk("target-all", "Every area in scope:", inScopeCodes(areas)));
    (D.categories || []).forEach(function (c) {
      var codes = inScopeCodes(areas.filter(function (a) { return a.category === c.id; }));
      if (codes.length) tools.appendChild(bulk("target-cat-" + lib.slug(c.id), c.name + ":", codes));
    });
    sec.appendChild(tools);

    var t = el("table", { "class": "targets" });
    t.appendChild(el("caption", { text: "Each area's capability level, its target and the gap" }));
    t.appendChild(el("thead", null, el("tr", null, el("th", { scope: "col", text: "Area" }),
      el("th", { scope: "col", text: "Current level" }), el("th", { scope: "col", text: "Target" }), el("th", { scope: "col", text: "Gap" }))));
    var tb = el("tbody");
    areas.forEach(function (a) {
      var r = scores[a.code], g = gap(r);
      var tr = el("tr", { "data-target-area": a.code, "data-gap": g.n === null ? "" : String(g.n) },
        el("th", { scope: "row" }, el("a", { href: ROOT + a.url, text: a.code }), " ", el("span", { "class": "area-name", text: a.name })),
        el("td", { "class": "st-" + r.status, text: current(a, r) }));
      var td = el("td");
      if (C.inScope(a.code)) {
        var s = levelSelect("target-" + lib.slug(a.code), "Target for " + a.code + " " + a.name, r.target);
        s.setAttribute("data-target", a.code);
        s.addEventListener("change", function () { set([a.code], chosen(s)); });
        td.appendChild(el("span", { "class": "no-print" }, s));
        td.appendChild(el("span", { "class": "print-only", text: r.target === null ? "no target" : String(r.target) }));
      } else td.appendChild(el("span", { "class": "muted", text: "out of scope" }));
      tr.appendChild(td);
      tr.appendChild(el("td", { "class": g.n !== null && g.n > 0 ? "gap-open" : "", text: g.text }));
      tb.appendChild(tr);
    });
    t.appendChild(tb);
    sec.appendChild(el("div", { "class": "table-scroll", tabindex: "0" }, t));
    box.appendChild(sec);
  }

  C.onRedraw(render);
  render();
  lib.provide("targets", { gap: gap, render: render });
  lib.api({
    /** Sets the target of areas (codes) to a level, or removes it (null). */
    setTarget: function (codes, level) { set(Array.isArray(codes) ? codes : [codes], level); }
  });
})();
