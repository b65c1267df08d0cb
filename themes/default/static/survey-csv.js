/* refbook survey: answer files as CSV, both ways. One row per question, so
 * that a spreadsheet opens it as a table; the file's own fields (respondent,
 * model, format) repeat on every row and an area's (in scope, target) on every
 * row of the area, and import requires the copies to agree. The layout is in
 * the README ("Answer files as CSV"); src/answers/csv.rs reads the same files,
 * and both are held to the vectors of tests/answers-csv/ (tests/js/csv.test.js,
 * tests/it/answers_csv.rs).
 *
 * Pure: no DOM, no storage, no page. A plain script defining the one global
 * `refbookSurveyCsv`; under node it is also module.exports.
 *
 * API
 *   refbookSurveyCsv.format(file, layout)  an answer file object (version 2,
 *       as exportJSON writes it) as CSV text, CRLF rows. layout: {questions:
 *       [{area, id, title}] in model order, areas: [{code, name}] (those with
 *       no question get a row of their own), label(value) -> the scale's words}.
 *   refbookSurveyCsv.parse(text)  {file, errors: [{line, col, message}],
 *       lines: {id: line}, rows: [{area, id, title, label}]}; file is the answer
 *       file object the CSV holds (not checked against a model: the import
 *       does that as for JSON), null when errors is not empty.
 *
 * Formula cells: text starting with = + - @ tab or CR is written with a
 * leading ' (a spreadsheet opens it as text, never as a formula). So that
 * import can take off exactly the quotes export put on, text that starts
 * with quotes followed by one of those characters gets one too: import takes
 * one ' off a cell that starts with quotes and then such a character, and
 * export -> import -> export gives the same bytes.
 *
 * Loads after: nothing (pure, like scoring.js)
 */
var refbookSurveyCsv = (function () {
  "use strict";

  var own = Object.prototype.hasOwnProperty;
  var RESPONDENT = ["organization", "scope", "assessor", "date"];
  /** The file's fields, repeated on every row: column -> where it goes. */
  var FILE_COLUMNS = ["respondent_organization", "respondent_scope", "respondent_assessor", "respondent_date",
    "model", "model_version", "format", "version"];
  var COLUMNS = ["area", "id", "title", "answer", "label", "note", "reason", "in_scope", "target"].concat(FILE_COLUMNS);
  var REQUIRED = ["id", "answer", "model", "format", "version"];
  var EVIDENCE = /^evidence_([1-9][0-9]{0,2})_(href|description)$/;
  var NUMBER = /^-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?$/;
  var FORMULA = /^'*[=+\-@\t\r]/;
  var QUOTED_FORMULA = /^'+[=+\-@\t\r]/;

  function dict() { return Object.create(null); }
  function has(o, k) { return o !== null && typeof o === "object" && own.call(o, k); }

  /* ---------- writing ---------- */

  /** One cell: numbers the tool writes stay as they are (even negative ones);
   *  text that a spreadsheet would run is quoted with '; RFC 4180 quoting. */
  function cell(v) {
    if (typeof v === "number" && isFinite(v)) return String(v);
    var s = v === undefined || v === null ? "" : String(v);
    if (FORMULA.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }

  function format(file, layout) {
    var answers = has(file, "answers") ? file.answers : {};
    var ids = Object.keys(answers);
    var width = 1;
    ids.forEach(function (id) {
      var ev = answers[id] && answers[id].evidence;
      if (Array.isArray(ev) && ev.length > width) width = ev.length;
    });
    var header = COLUMNS.slice();
    for (var k = 1; k <= width; k++) header.push("evidence_" + k + "_href", "evidence_" + k + "_description");
    var inScope = Array.isArray(file.areas_in_scope) ? file.areas_in_scope : null;
    var targets = has(file, "targets") ? file.targets : {};
    var resp = has(file, "respondent") ? file.respondent : {};
    var tail = RESPONDENT.map(function (k) { return has(resp, k) ? resp[k] : ""; })
      .concat([file.model, has(file, "model_version") ? file.model_version : "", file.format, file.version]);
    var rows = [header];
    function areaCells(area) {
      if (area === "") return ["", ""];
      return [inScope ? (inScope.indexOf(area) >= 0 ? "yes" : "no") : "", has(targets, area) ? targets[area] : ""];
    }
    function row(area, id, title) {
      var e = has(answers, id) && answers[id] ? answers[id] : {};
      var v = has(e, "value") && e.value !== null ? e.value : "";
      var r = [area, id, title, v, v === "" ? "" : layout.label(v), has(e, "note") ? e.note : "",
        has(e, "reason") ? e.reason : ""].concat(areaCells(area), tail);
      var ev = Array.isArray(e.evidence) ? e.evidence : [];
      for (var i = 0; i < width; i++) {
        r.push(ev[i] ? ev[i].href : "", ev[i] && has(ev[i], "description") ? ev[i].description : "");
      }
      rows.push(r);
    }
    var asked = dict(), withQuestions = dict();
    layout.questions.forEach(function (q) { asked[q.id] = true; withQuestions[q.area] = true; row(q.area, q.id, q.title); });
    (layout.areas || []).forEach(function (a) { if (!withQuestions[a.code]) row(a.code, "", a.name || ""); });
    ids.filter(function (id) { return !asked[id]; }).forEach(function (id) { row("", id, "(not in this model)"); });
    return rows.map(function (r) { return r.map(cell).join(","); }).join("\r\n") + "\r\n";
  }

  /* ---------- reading ---------- */

  /** RFC 4180 records with the line and column where each field starts
   *  (columns count characters, from 1). Blank lines are skipped. */
  function records(text, errors) {
    var out = [], rec = [], i = 0, line = 1, col = 1, n = text.length;
    if (text.charCodeAt(0) === 0xFEFF) i = 1;
    var blank = true;
    while (i <= n) {
      var start = { line: line, col: col }, value = "";
      if (text[i] === '"') {
        i++; col++;
        for (;;) {
          if (i >= n) { errors.push({ line: start.line, col: start.col, message: "a quoted cell is not closed: a \" is missing" }); return out; }
          var c = text[i];
          if (c === '"' && text[i + 1] === '"') { value += '"'; i += 2; col += 2; continue; }
          if (c === '"') { i++; col++; break; }
          value += c; i++;
          if (c === "\n") { line++; col = 1; } else if (c === "\r" && text[i] !== "\n") { line++; col = 1; } else col++;
        }
        if (i < n && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") {
          errors.push({ line: line, col: col, message: "text after a quoted cell's closing quote: quote the whole cell and double the quotes inside" });
          while (i < n && text[i] !== "," && text[i] !== "\r" && text[i] !== "\n") { i++; col++; }
        }
        blank = false;
      } else {
        var j = i;
        while (j < n && text[j] !== "," && text[j] !== "\r" && text[j] !== "\n") j++;
        value = text.slice(i, j);
        var q = value.indexOf('"');
        if (q >= 0) errors.push({ line: line, col: col + q, message: "a quote inside an unquoted cell: quote the whole cell and double the quotes inside" });
        col += j - i; i = j;
        if (value !== "") blank = false;
      }
      rec.push({ value: value, line: start.line, col: start.col });
      if (text[i] === ",") { i++; col++; blank = false; continue; }
      if (!blank) out.push(rec);
      rec = []; blank = true;
      if (i >= n) break;
      i += text[i] === "\r" && text[i + 1] === "\n" ? 2 : 1;
      line++; col = 1;
    }
    return out;
  }

  /** Takes off the ' that `cell` put on. */
  function text(s) { return QUOTED_FORMULA.test(s) ? s.slice(1) : s; }

  /** areas_in_scope (yes or no for every area, or empty on every row: every
   *  area in scope, no list) and targets, from each area's first cells;
   *  `at(area)` is the cell to point at when an area says nothing. */
  function areaFields(first, areas, at, errors) {
    var scope = dict(), listed = false, out = { targets: dict() };
    areas.forEach(function (a) {
      var f = first[a + ":in_scope"];
      if (!f) return;
      var v = f.value.toLowerCase();
      if (v !== "yes" && v !== "no") errors.push({ line: f.line, col: f.col, message: "in_scope is yes or no, not " + JSON.stringify(text(f.value)) });
      listed = true;
      scope[a] = v === "yes";
    });
    if (listed) areas.forEach(function (a) {
      if (has(scope, a)) return;
      var f = at(a);
      errors.push({ line: f.line, col: f.col, message: "in_scope of " + a + " is empty and other areas say yes or no: say it for every area (or for none, to assess every area)" });
    });
    if (listed) out.areas_in_scope = areas.filter(function (a) { return scope[a]; });
    areas.forEach(function (a) {
      var f = first[a + ":target"];
      if (f) out.targets[a] = NUMBER.test(f.value) ? Number(f.value) : text(f.value);
    });
    return out;
  }

  function parse(input) {
    var errors = [], rows = [], lines = dict();
    var recs = records(String(input), errors);
    var result = { file: null, errors: errors, lines: lines, rows: rows };
    if (!recs.length) {
      if (!errors.length) errors.push({ line: 1, col: 1, message: "the file is empty: a CSV answer file starts with a header row (area,id,...)" });
      return result;
    }
    var head = recs[0], at = dict(), evidence = [];
    head.forEach(function (f, i) {
      var name = f.value, m = EVIDENCE.exec(name);
      if (has(at, name)) errors.push({ line: f.line, col: f.col, message: "the column \u201C" + name + "\u201D is there twice" });
      else if (COLUMNS.indexOf(name) < 0 && !m) errors.push({ line: f.line, col: f.col, message: "unknown column \u201C" + name + "\u201D; the columns are " + COLUMNS.join(", ") + ", evidence_1_href, evidence_1_description, ..." });
      at[name] = i;
      if (m) { var k = Number(m[1]); if (evidence.indexOf(k) < 0) evidence.push(k); }
    });
    REQUIRED.forEach(function (c) {
      if (!has(at, c)) errors.push({ line: head[0].line, col: head[0].col, message: "the column \u201C" + c + "\u201D is missing" });
    });
    evidence.sort(function (a, b) { return a - b; });
    if (errors.length) return result;
    var file = { format: null, version: null, model: null }, first = dict(), areaCells = dict();
    var answers = dict(), order = [], scopeOrder = [];
    function get(r, name) { return has(at, name) && r[at[name]] ? r[at[name]] : null; }
    /** A cell every row (or every row of an area) must give alike. */
    function same(key, f, what) {
      if (!has(first, key)) { first[key] = f; return true; }
      if (first[key].value === f.value) return true;
      errors.push({ line: f.line, col: f.col, message: what + " is " + JSON.stringify(text(f.value)) + " here and " +
        JSON.stringify(text(first[key].value)) + " on line " + first[key].line + "; " +
        (key.indexOf(":") > 0 ? "every row of an area gives the same" : "every row of the file gives the same (one file is one assessment)") });
      return false;
    }
    recs.slice(1).forEach(function (r) {
      var last = r[r.length - 1];
      // a spreadsheet's empty rows (every cell empty) say nothing
      if (r.every(function (f) { return f.value === ""; })) return;
      if (r.length !== head.length) {
        errors.push({ line: r[0].line, col: (r[head.length] || last).col, message: "this row has " + r.length + " cells and the header " + head.length });
        return;
      }
      FILE_COLUMNS.forEach(function (c) { var f = get(r, c); if (f) same(c, f, "\u201C" + c + "\u201D"); });
      var area = get(r, "area"), id = get(r, "id"), a = area ? text(area.value) : "";
      ["in_scope", "target"].forEach(function (c) {
        var f = get(r, c);
        if (!f || f.value === "") return;
        if (a === "") errors.push({ line: f.line, col: f.col, message: "\u201C" + c + "\u201D is given on a row without an area" });
        else same(a + ":" + c, f, "\u201C" + c + "\u201D of " + a);
      });
      if (a !== "" && !has(areaCells, a)) { areaCells[a] = r; scopeOrder.push(a); }
      var entry = {}, value = get(r, "answer").value;
      if (value !== "") entry.value = value === "na" ? "na" : NUMBER.test(value) ? Number(value) : text(value);
      ["note", "reason"].forEach(function (c) { var f = get(r, c); if (f && f.value !== "") entry[c] = text(f.value); });
      var ev = [];
      evidence.forEach(function (k) {
        var h = get(r, "evidence_" + k + "_href"), d = get(r, "evidence_" + k + "_description");
        var href = h ? text(h.value) : "", desc = d ? text(d.value) : "";
        if (href !== "") ev.push(desc !== "" ? { href: href, description: desc } : { href: href });
        else if (desc !== "") errors.push({ line: d.line, col: d.col, message: "evidence_" + k + "_description without evidence_" + k + "_href: evidence needs a link or a document reference" });
      });
      if (ev.length) entry.evidence = ev;
      var idText = text(id.value);
      rows.push({ area: a, id: idText, title: get(r, "title") ? text(get(r, "title").value) : "", label: get(r, "label") ? text(get(r, "label").value) : "" });
      if (idText === "") {
        if (Object.keys(entry).length) errors.push({ line: id.line, col: id.col, message: "a row without an id holds an answer: give the question's id" });
        return;
      }
      if (has(lines, idText)) { errors.push({ line: id.line, col: id.col, message: "the question " + JSON.stringify(idText) + " is also on line " + lines[idText] }); return; }
      lines[idText] = id.line;
      if (Object.keys(entry).length) { answers[idText] = entry; order.push(idText); }
    });
    if (!recs[1]) errors.push({ line: head[0].line, col: head[0].col, message: "the file has a header and no rows: it says nothing of the model, the respondent or the answers" });
    var areas = areaFields(first, scopeOrder, function (a) { return get(areaCells[a], "in_scope") || get(areaCells[a], "area"); }, errors);
    if (errors.length) return result;
    var v = function (c) { return has(first, c) ? text(first[c].value) : ""; };
    file.format = v("format");
    file.version = NUMBER.test(first.version.value) ? Number(first.version.value) : v("version");
    file.model = v("model");
    if (v("model_version") !== "") file.model_version = v("model_version");
    file.respondent = {};
    RESPONDENT.forEach(function (k) { if (v("respondent_" + k) !== "") file.respondent[k] = v("respondent_" + k); });
    if (areas.areas_in_scope) file.areas_in_scope = areas.areas_in_scope;
    if (Object.keys(areas.targets).length) file.targets = areas.targets;
    file.answers = dict(); // ids are data: "__proto__" is an id like any other
    order.forEach(function (id) { file.answers[id] = answers[id]; });
    result.file = file;
    return result;
  }

  return { format: format, parse: parse, cell: cell, COLUMNS: COLUMNS };
})();

if (typeof module === "object" && module.exports) module.exports = refbookSurveyCsv;
