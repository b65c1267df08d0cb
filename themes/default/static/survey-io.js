/* refbook survey: export and import. Exports the saved answers as the JSON of
 * the format page (plus a `respondent` object) or as CSV (survey-csv.js: the
 * same file, one row per question), downloaded through a
 * Blob link (works from file://); checks an imported file (format, version,
 * model, scale, ids), asks before replacing the saved answers, and reports what
 * it could not use. A file of another model is not imported but offered, as
 * answers saved under another model id are (survey-migrate.js). Runs the survey toolbar's export
 * buttons and import field.
 *
 * Provides lib.part("io") (read: a file's text checked, for the results
 * page's comparison and history; isCSV and csvFile: a CSV answer file told apart and
 * read as its JSON form; object: the answer file of the saved answers;
 * csvField, download, fileStem for the results page's own exports); API: exportJSON, exportCSV, exportOSCAL,
 * importJSON, importCSV. The results page's OSCAL export also needs survey-oscal.js
 * (loaded before this script there; other pages have no such button).
 *
 * Loads after: survey-data.js scoring.js survey-base.js survey-store.js survey-csv.js
 */
(function () {
  "use strict";

  var own = Object.prototype.hasOwnProperty;
  var S = own.call(window, "refbookSurvey") ? window.refbookSurvey : null;
  var lib = S && own.call(S, "lib") ? S.lib : null;
  if (!lib) {
    if (window.console) console.error("refbook: load assets/survey-base.js before assets/survey-io.js; export and import are off.");
    return;
  }
  var C = lib.need("store", "survey-io.js");
  if (!C) { lib.provide("io", null); return; } // no survey here, or it says why
  var CSV = own.call(window, "refbookSurveyCsv") ? window.refbookSurveyCsv : null;
  if (!CSV || typeof CSV.parse !== "function") {
    if (window.console) console.error("refbook: load assets/survey-csv.js before assets/survey-io.js; export and import are off.");
    lib.provide("io", null);
    return;
  }
  var doc = lib.doc, $$ = lib.$$, has = lib.has, isObj = lib.isObj, dict = lib.dict, el = lib.el;
  var plural = lib.plural, questions = C.questions, MODEL = C.MODEL, FORMAT = C.FORMAT, FORMAT_VERSION = C.FORMAT_VERSION;

  /* ---------- export ---------- */

  function exportObject() {
    var answers = dict();
    var ids = C.questionOrder.concat(Object.keys(C.answers()).filter(function (id) { return !has(questions, id); }).sort());
    ids.forEach(function (id) {
      var e = C.entry(id);
      if (!isObj(e)) return;
      var o = {};
      if (e.value !== undefined && e.value !== null) o.value = e.value;
      if (typeof e.note === "string" && e.note !== "") o.note = e.note;
      if (o.value === "na" && typeof e.reason === "string" && e.reason !== "") o.reason = e.reason;
      if (Array.isArray(e.evidence) && e.evidence.length) o.evidence = e.evidence;
      if (has(o, "value") || has(o, "note") || has(o, "evidence")) answers[id] = o;
    });
    var out = { format: FORMAT, version: FORMAT_VERSION, model: MODEL, model_version: C.D.model_version };
    var resp = {};
    C.RESPONDENT_FIELDS.forEach(function (k) { if (C.respondentValue(k)) resp[k] = C.respondentValue(k); });
    out.respondent = resp; // who answered, for what
    var scope = C.scope();
    if (scope.areas_in_scope) out.areas_in_scope = scope.areas_in_scope;
    if (scope.targets) out.targets = scope.targets;
    var plan = C.plan(), planned = dict();
    ids = C.questionOrder.concat(Object.keys(plan).filter(function (id) { return !has(questions, id); }).sort());
    ids.forEach(function (id) { if (has(plan, id)) planned[id] = plan[id]; });
    if (Object.keys(planned).length) out.plan = planned;
    out.answers = answers;
    return out;
  }
  function exportJSON() { return JSON.stringify(exportObject(), null, 2) + "\n"; }
  /** The saved answers as OSCAL assessment results (survey-oscal.js: the rule
   *  of `refbook report --format oscal`); null without that script. */
  function exportOSCAL() {
    var O = own.call(window, "refbookSurveyOscal") ? window.refbookSurveyOscal : null;
    if (!O || typeof O.assessmentResults !== "function") {
      if (window.console) console.error("refbook: load assets/survey-oscal.js before assets/survey-io.js; the OSCAL export is off.");
      return null;
    }
    return JSON.stringify(O.assessmentResults(C.D, [exportObject()], O.now(new Date())), null, 2) + "\n";
  }

  /** One row per question (survey-csv.js has the layout and the formula rule). */
  function exportCSV() {
    return CSV.format(exportObject(), {
      questions: C.questionOrder.map(function (id) { return { area: questions[id].area.code, id: id, title: questions[id].title }; }),
      areas: C.areas.map(function (a) { return { code: a.code, name: a.name }; }),
      label: C.valueLabel
    });
  }
  function fileStem() {
    var org = C.respondentValue("organization").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40);
    var day = new Date().toISOString().slice(0, 10);
    return MODEL + "-survey" + (org ? "-" + org : "") + "-" + day;
  }
  /** Blob + temporary link: works from file:// and needs no server. */
  function download(name, type, text) {
    var url = URL.createObjectURL(new Blob([text], { type: type }));
    var a = el("a", { href: url, download: name, "class": "visually-hidden" });
    doc.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(url); a.remove(); }, 1000);
  }

  /* ---------- import ---------- */

  /** Checks a file's text and, when it is usable and (if answers exist) the user
   *  agrees, replaces the saved answers. Returns a report; never throws. */
  function importJSON(text, opts) {
    return importFile(readSurveyFile(text), opts);
  }
  function importCSV(text, opts) {
    return importFile(readSurveyFile(text, true), opts);
  }
  function importFile(rep, opts) {
    opts = opts || {};
    var ask = opts.confirm || function (m) { return window.confirm(m); };
    var answers = rep.answers, respondent = rep.respondent, scope = rep.scope, plan = rep.plan;
    delete rep.answers; delete rep.respondent; delete rep.scope; delete rep.plan;
    if (rep.errors.length) {
      // Not enumerable: the report goes back to scripts as JSON, the answers need not.
      if (rep.otherModel !== undefined) Object.defineProperty(rep, "from", { value: {
        model: rep.otherModel, total: rep.total, answers: answers, respondent: respondent, problems: rep.problems,
        file: "file" + (opts.name ? " " + opts.name : "") } });
      return rep;
    }
    var existing = C.answerCount();
    if (existing > 0 && !ask("Importing replaces the " + plural(existing, "answer") + " saved in this browser with the " +
        plural(Object.keys(answers).length, "answer") + " of the file. Continue?")) {
      rep.errors.push("Import cancelled: the saved answers were left as they were.");
      rep.cancelled = true;
      return rep;
    }
    C.replace(answers, respondent, scope, plan);
    rep.ok = true;
    rep.imported = Object.keys(answers).length;
    C.redraw({ print: true });
    return rep;
  }

  /** A CSV answer file: by its name, or (text alone) by its header row. */
  function isCSV(text, name) {
    if (typeof name === "string") return /\.csv$/i.test(name);
    return /^\uFEFF?"?(area|id)"?,/.test(text);
  }
  /** Validates an exported file (JSON, or CSV when `csv`; undefined: by its
   *  first line); rep.errors non-empty means it must be refused. */
  function readSurveyFile(text, csv) {
    var rep = { ok: false, imported: 0, errors: [], problems: [], unknown: [], warnings: [], moved: [] };
    var data;
    if (csv === undefined ? isCSV(text) : csv) {
      var p = CSV.parse(text);
      p.errors.forEach(function (e) { rep.errors.push("Line " + e.line + ", column " + e.col + ": " + e.message + "."); });
      if (rep.errors.length) { rep.errors.unshift("The CSV file cannot be imported; nothing was changed."); return rep; }
      readSurveyData(p.file, rep);
      // Name the CSV line of each problem: the entries are rows there.
      rep.problems = rep.problems.map(function (m) {
        var id = m.slice(0, m.indexOf(": "));
        return has(p.lines, id) ? "Line " + p.lines[id] + ", " + m : m;
      });
      return rep;
    }
    try { data = JSON.parse(text); }
    catch (e) { rep.errors.push("The file is not JSON: " + e.message + "."); return rep; }
    return readSurveyData(data, rep);
  }
  function readSurveyData(data, rep) {
    if (!isObj(data) || data.format !== FORMAT) {
      rep.errors.push("This is not a refbook survey file: its \"format\" is " +
        (isObj(data) && has(data, "format") ? JSON.stringify(data.format) : "missing") + ", expected \"" + FORMAT + "\".");
      return rep;
    }
    if (data.version !== 1 && data.version !== 2) {
      rep.errors.push("This file is in version " + JSON.stringify(data.version) + " of the survey format; this site reads versions 1 and 2.");
      return rep;
    }
    var foreign = data.model !== MODEL;
    if (foreign) {
      rep.errors.push("This file holds answers for the model " + JSON.stringify(data.model) + ", and this site is the model \"" +
        MODEL + "\". Answers of another model are not imported as they are.");
      // A model whose id changed: its answers to questions this model has can be brought over.
      if (typeof data.model !== "string" || !isObj(data.answers)) return rep;
      rep.otherModel = data.model;
    }
    if (!isObj(data.answers)) { rep.errors.push("The file has no \"answers\" object."); return rep; }
    if (!foreign && data.model_version !== undefined && data.model_version !== C.D.model_version)
      rep.warnings.push("The answers were given to version " + JSON.stringify(data.model_version) + " of the model; this site shows version " +
        JSON.stringify(C.D.model_version) + ".");
    rep.total = Object.keys(data.answers).length;
    rep.answers = C.readAnswers(data.answers, rep);
    if (foreign) rep.matching = Object.keys(rep.answers).filter(function (id) { return has(questions, id); }).length;
    rep.respondent = C.readRespondent(data.respondent);
    rep.scope = data.version === 2 ? C.readScope(data, rep) : {}; // version 1: every area, no targets
    rep.plan = data.version === 2 ? C.readPlan(data.plan, rep) : dict(); // nor a plan
    return rep;
  }
  function reportImport(rep, name) {
    if (!rep.ok) {
      C.say("error", (name ? name + ": " : "") + rep.errors.join(" "));
      var M = lib.part("migrate"); // survey-migrate.js, where the page loads it
      if (rep.from && M) M.offerAnswers(rep.from);
      return;
    }
    C.say("info", "Imported " + plural(rep.imported, "answer") + (name ? " from " + name : "") + ".", rep.warnings);
    if (rep.moved.length) C.say("info", plural(rep.moved.length, "answer") + " of the file named ids that this version of the model renamed; " +
      (rep.moved.length === 1 ? "it" : "they") + " moved to the new ids:", rep.moved);
    if (rep.problems.length) C.say("warning", plural(rep.problems.length, "entry", "entries") + " of the file could not be used:", rep.problems);
    if (rep.unknown.length) C.say("warning", plural(rep.unknown.length, "answer") + " name questions this model does not have; they are kept and listed under “Saved answers this model does not use”:", rep.unknown);
  }

  /* ---------- toolbar: export buttons, import field ---------- */

  doc.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button[data-action]");
    if (!b) return;
    var act = b.getAttribute("data-action");
    if (act === "export-json") download(fileStem() + ".json", "application/json", exportJSON());
    else if (act === "export-csv") download(fileStem() + ".csv", "text/csv;charset=utf-8", "\uFEFF" + exportCSV());
    else if (act === "export-oscal") {
      var text = exportOSCAL();
      if (text !== null) download(fileStem() + "-oscal.json", "application/json", text);
    }
  });
  $$("input[type=file][data-action='import']").forEach(function (inp) {
    inp.addEventListener("change", function () {
      var f = inp.files && inp.files[0];
      if (!f) return;
      var r = new FileReader();
      r.onload = function () {
        var text = String(r.result);
        reportImport(isCSV(text, f.name) ? importCSV(text, { name: f.name }) : importJSON(text, { name: f.name }), f.name);
        inp.value = "";
      };
      r.onerror = function () { C.say("error", f.name + ": the file could not be read."); inp.value = ""; };
      r.readAsText(f);
    });
  });

  lib.provide("io", { read: readSurveyFile, isCSV: isCSV, csvFile: function (text) { return CSV.parse(text).file; }, object: exportObject, csvField: CSV.cell, download: download, fileStem: fileStem });
  lib.api({
    exportJSON: exportJSON,
    exportCSV: exportCSV,
    exportOSCAL: exportOSCAL,
    importJSON: function (text, opts) { var r = importJSON(text, opts); reportImport(r); return r; },
    importCSV: function (text, opts) { var r = importCSV(text, opts); reportImport(r); return r; }
  });
})();
