/* refbook survey: printing. Runs the [data-action=print] buttons of the survey
 * and results pages ([data-print] buttons are refbook.js's), and gives each
 * printed page of a worksheet or of the whole-model survey a running header
 * naming the model, the area and (on the survey) the organization assessed,
 * with page numbers. Needs no survey data: the worksheets are blank paper forms
 * and load only survey-base.js and this script; where survey-store.js is
 * loaded, it takes the organization from the saved details and follows changes.
 *
 * Provides lib.part("print") (headers: draw the running headers again).
 *
 * Loads after: survey-base.js
 */
(function () {
  "use strict";

  var own = Object.prototype.hasOwnProperty;
  var S = own.call(window, "refbookSurvey") ? window.refbookSurvey : null;
  var lib = S && own.call(S, "lib") ? S.lib : null;
  if (!lib) {
    if (window.console) console.error("refbook: load assets/survey-base.js before assets/survey-print.js; print headers are off.");
    return;
  }
  var doc = lib.doc, $ = lib.$, $$ = lib.$$;
  var D = lib.siteData("survey");

  /* ---------- print buttons ---------- */

  doc.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("[data-action='print']");
    if (!b || e.defaultPrevented) return;
    e.preventDefault();
    window.print();
  });

  /* ---------- running headers for print (CSS @page margin boxes) ---------- */

  function cssString(s) {
    return '"' + String(s).replace(/[\\"]/g, "\\$&").replace(/[\r\n\u2028\u2029]+/g, " ") + '"';
  }
  var headerSheet = null;
  /** One named page per area, so that each printed page says which area it
   *  belongs to (Chromium 131+; other browsers ignore the margin boxes and still
   *  get the header printed at the top of each area). */
  function printHeaders() {
    if ($("#results[data-results]")) { reportHeaders(); return; }
    var parts = $$("[data-worksheet], section.survey-area[data-survey-area]");
    if (!parts.length) return;
    var title = (D && D.title) || ($(".brand") ? $(".brand").textContent : "");
    var what = parts[0].hasAttribute("data-worksheet") ? "Survey worksheet" : "Survey";
    var store = lib.part("store");
    var org = store ? store.respondentValue("organization") : "";
    var left = title + " \u00B7 " + what + (org && what === "Survey" ? " \u00B7 " + org : "");
    var pageNo = "@bottom-right { content: \"Page \" counter(page) \" of \" counter(pages); font-size: 8pt; }";
    var rules = ["@page { @top-left { content: " + cssString(left) + "; font-size: 8pt; } " + pageNo + " }"];
    parts.forEach(function (p, i) {
      var code = p.getAttribute("data-worksheet") || p.getAttribute("data-survey-area");
      var h = $("h2", p);
      var name = h ? h.textContent.replace(/\s+/g, " ").trim() : code;
      var page = "refbook-area-" + i;
      p.setAttribute("data-page-name", page);
      rules.push("[data-page-name=" + cssString(page) + "] { page: " + page + "; }");
      rules.push("@page " + page + " { @top-left { content: " + cssString(left) + "; font-size: 8pt; } @top-right { content: " +
        cssString(name) + "; font-size: 8pt; font-weight: bold; } " + pageNo + " }");
    });
    // The notice prints first (refbook.css); on the worksheets nothing else comes before
    // the first sheet, and a page of another name would leave it a page of its own.
    if (what !== "Survey") rules.push(".site-footer { page: refbook-area-0; }");
    adopt(rules);
  }
  /** The results page prints as a report: the organisation and date on every page, numbered. */
  function reportHeaders() {
    var store = lib.part("store");
    var title = (D && D.title) || ($(".brand") ? $(".brand").textContent : "");
    var org = store ? store.respondentValue("organization") : "", day = store ? store.respondentValue("date") : "";
    var left = title + " \u00B7 Assessment report" + (org ? " \u00B7 " + org : "");
    adopt(["@page { @top-left { content: " + cssString(left) + "; font-size: 8pt; } @top-right { content: " + cssString(day) +
      "; font-size: 8pt; } @bottom-right { content: \"Page \" counter(page) \" of \" counter(pages); font-size: 8pt; } }"]);
  }
  function adopt(rules) {
    try {
      if (!headerSheet) {
        headerSheet = new CSSStyleSheet();
        doc.adoptedStyleSheets = doc.adoptedStyleSheets.concat([headerSheet]);
      }
      headerSheet.replaceSync(rules.join("\n"));
    } catch (err) { /* old browser: the in-page header is enough */ }
  }

  var store = lib.part("store");
  if (store) store.onRedraw(function (opts) { if (opts && opts.print) printHeaders(); });
  // The details can change in another tab; the report's header follows at print time.
  window.addEventListener("beforeprint", printHeaders);
  printHeaders();
  lib.provide("print", { headers: printHeaders });
})();
