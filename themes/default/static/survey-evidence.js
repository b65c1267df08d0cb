/* refbook survey: the evidence of each answer on the survey and area pages.
 * Each question gets a list of evidence rows (a link or a document reference,
 * and a description) that can be added, edited and removed, saved with the
 * answer as `evidence: [{href, description?}]` (survey-store.js), and a
 * printed list of the same (links only for http(s) addresses and paths,
 * lib.evidenceItem). A row without a link or reference is not saved.
 *
 * Provides lib.part("evidence") (rows: a question's rows drawn again).
 *
 * Loads after: survey-data.js scoring.js survey-base.js survey-store.js
 */
(function () {
  "use strict";

  var own = Object.prototype.hasOwnProperty;
  var S = own.call(window, "refbookSurvey") ? window.refbookSurvey : null;
  var lib = S && own.call(S, "lib") ? S.lib : null;
  if (!lib) {
    if (window.console) console.error("refbook: load assets/survey-base.js before assets/survey-evidence.js; evidence is off.");
    return;
  }
  var C = lib.need("store", "survey-evidence.js");
  if (!C) { lib.provide("evidence", null); return; } // no survey here, or it says why
  var doc = lib.doc, $ = lib.$, $$ = lib.$$, isObj = lib.isObj, el = lib.el, clearEl = lib.clearEl;

  function saved(id) {
    var e = C.entry(id);
    return isObj(e) && Array.isArray(e.evidence) ? e.evidence : [];
  }

  /** One editable row: the reference and the description, each labelled, and Remove. */
  function row(id, ev, n) {
    var href = el("input", { type: "text", "data-ev": "href", autocomplete: "off", spellcheck: "false" });
    var desc = el("input", { type: "text", "data-ev": "description", autocomplete: "off" });
    href.value = ev.href || "";
    desc.value = ev.description || "";
    return el("li", { "class": "evidence-row" },
      el("label", null, el("span", { text: "Link or document reference" }), href),
      el("label", null, el("span", { text: "Description" }), desc),
      el("button", { type: "button", "class": "remove-evidence", "data-ev-remove": "", "aria-label": "Remove evidence " + n + " of " + id, text: "Remove" }));
  }
  function renumber(box, id) {
    $$("[data-ev-remove]", box).forEach(function (b, i) { b.setAttribute("aria-label", "Remove evidence " + (i + 1) + " of " + id); });
  }
  /** The printed list (and the question's has-evidence mark) from what is saved. */
  function printed(fs) {
    var list = saved(fs.getAttribute("data-question"));
    var ul = $(".evidence-print", fs);
    clearEl(ul);
    list.forEach(function (ev) { ul.appendChild(lib.evidenceItem(ev)); });
    fs.classList.toggle("has-evidence", list.length > 0);
  }
  /** A question's evidence block, made once, then its rows from what is saved. */
  function rows(fs) {
    var id = fs.getAttribute("data-question");
    var box = $(".evidence", fs);
    if (!box) {
      box = el("div", { "class": "evidence", role: "group", "aria-label": "Evidence for " + id },
        el("p", { "class": "evidence-title", text: "Evidence" }),
        el("ul", { "class": "evidence-rows no-print" }),
        el("button", { type: "button", "class": "add-evidence no-print", "data-ev-add": "", text: "Add evidence" }),
        el("ul", { "class": "evidence-print", "aria-hidden": "true" }));
      var at = $(".note", fs);
      fs.insertBefore(box, at ? at.nextSibling : null);
    }
    var ul = $(".evidence-rows", box);
    clearEl(ul);
    saved(id).forEach(function (ev, i) { ul.appendChild(row(id, ev, i + 1)); });
    printed(fs);
  }
  /** What the rows hold now, saved (rows without a reference are left out). */
  function save(fs) {
    var list = $$(".evidence-row", fs).map(function (r) {
      return { href: $("[data-ev=href]", r).value.trim(), description: $("[data-ev=description]", r).value };
    });
    C.setEvidence(fs.getAttribute("data-question"), list);
    printed(fs);
  }

  doc.addEventListener("input", function (e) {
    var t = e.target;
    if (!t.hasAttribute || !t.hasAttribute("data-ev")) return;
    var fs = t.closest("fieldset[data-question]");
    if (fs) save(fs);
  });
  doc.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-ev-add], [data-ev-remove]");
    var fs = b && b.closest("fieldset[data-question]");
    if (!fs) return;
    var id = fs.getAttribute("data-question"), ul = $(".evidence-rows", fs);
    if (b.hasAttribute("data-ev-add")) {
      var r = row(id, {}, $$(".evidence-row", ul).length + 1);
      ul.appendChild(r);
      $("[data-ev=href]", r).focus();
      return;
    }
    b.closest(".evidence-row").remove();
    renumber(ul, id);
    save(fs);
    $("[data-ev-add]", fs).focus();
  });

  /* Blocks are made where they are needed: every question with evidence (for
   * print), and the questions on screen. On the whole-model survey the
   * navigator asks for each area it shows (`area`): making them for thousands
   * of questions at once slowed the load of a large model. */
  var fieldsets = $$("fieldset[data-question]"), lazy = !!$("#survey-nav");
  function all() {
    fieldsets.forEach(function (fs) {
      if (!lazy || $(".evidence", fs) || saved(fs.getAttribute("data-question")).length) rows(fs);
    });
  }
  function area(sec) { $$("fieldset[data-question]", sec).forEach(function (fs) { if (!$(".evidence", fs)) rows(fs); }); }
  C.onRedraw(all);
  all();
  // An area loaded on demand (whole-parts.js): the evidence it has, for print.
  if (Object.prototype.hasOwnProperty.call(window, "refbookParts")) {
    window.refbookParts.onLoaded(function (code, sec) {
      fieldsets = $$("fieldset[data-question]");
      $$("fieldset[data-question]", sec).forEach(function (fs) {
        if (!$(".evidence", fs) && saved(fs.getAttribute("data-question")).length) rows(fs);
      });
    });
  }
  lib.provide("evidence", { rows: rows, area: area });
})();
