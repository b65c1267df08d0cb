/* refbook survey: a team's answer files on the results page. Opens several
 * exported answer files at once (JSON or CSV, checked as an import checks
 * them) and shows what `refbook report` shows of them, by the rules of
 * team.js: the files by respondent (two files of one organization, scope,
 * assessor and date are refused, both named), the scopes x areas heat map of
 * levels (a distribution, never an average) with the performed share and
 * targets, each team's answers side by side with the disputed questions,
 * each scope's levels by date with what became or stopped being performed,
 * and each team's consensus answer file (min or mode) to download, the same
 * file as `refbook report --consensus` writes. The files are held in this
 * page only: nothing is saved, imported or kept across a reload.
 *
 * Provides lib.part("team") (add: answer files' texts; files; clear);
 * API: teamFiles, teamView.
 *
 * Loads after: survey-data.js scoring.js survey-base.js survey-store.js survey-csv.js survey-io.js team.js
 */
(function () {
  "use strict";

  var own = Object.prototype.hasOwnProperty;
  var S = own.call(window, "refbookSurvey") ? window.refbookSurvey : null;
  var lib = S && own.call(S, "lib") ? S.lib : null;
  if (!lib) {
    if (window.console) console.error("refbook: load assets/survey-base.js before assets/survey-team.js; the team view is off.");
    return;
  }
  var T = own.call(window, "refbookTeam") ? window.refbookTeam : null;
  if (!T || typeof T.compare !== "function") {
    if (window.console) console.error("refbook: load assets/team.js before assets/survey-team.js; the team view is off.");
    lib.provide("team", null);
    return;
  }
  var C = lib.need("store", "survey-team.js");
  var io = C && lib.need("io", "survey-team.js");
  if (!C || !io) { lib.provide("team", null); return; }
  var $ = lib.$, el = lib.el, clearEl = lib.clearEl, plural = lib.plural, pct = lib.pct;
  var questions = C.questions, levels = C.levels;
  var top = levels.length ? levels[levels.length - 1].level : 0;

  /** The files opened, in the order given: {name, respondent, answers, scope}. */
  var held = [];
  var rule = "min";

  function say(kind, text, list) {
    var box = $("#team-messages");
    if (!box) return;
    var p = el("div", { "class": "msg msg-" + kind }, el("p", { text: text }));
    if (list && list.length) {
      var ul = el("ul");
      list.forEach(function (x) { ul.appendChild(el("li", { text: x })); });
      p.appendChild(ul);
    }
    box.appendChild(p);
  }

  /** Adds answer files ([{name, text}]); a file that cannot be read is named
   *  with its problems and left out. Returns how many were added. */
  function add(texts) {
    var box = $("#team-messages");
    if (box) clearEl(box);
    var added = 0;
    texts.forEach(function (t) {
      var rep = io.read(t.text, io.isCSV(t.text, t.name));
      if (rep.errors.length) { say("error", t.name + ": " + rep.errors.join(" ")); return; }
      if (rep.problems.length) say("warning", t.name + ": " + plural(rep.problems.length, "entry", "entries") + " left out:", rep.problems);
      held.push({ name: t.name, respondent: rep.respondent, answers: rep.answers, scope: rep.scope });
      added += 1;
    });
    render();
    return added;
  }
  function clear() { held = []; render(); }

  /* ---------- drawing ---------- */

  function valueText(v) { return v === null ? "unanswered" : C.valueLabel(v); }
  function levelWords(status, level) {
    return status === "assessed" ? "level " + level : C.STATUS_TEXT[status] || status;
  }
  function areaName(code) { return C.areaByCode[code] ? code + " " + C.areaByCode[code].name : code; }
  function who(name) { return name === "" ? "(no name)" : name; }
  function place(x) {
    return [x.organization, x.scope, x.date].map(function (s) { return s === "" ? "(none)" : s; }).join(" \u00B7 ");
  }
  function table(caption, heads, cls) {
    var t = el("table", { "class": cls || null });
    t.appendChild(el("caption", { text: caption }));
    var tr = el("tr");
    heads.forEach(function (h) { tr.appendChild(el("th", { scope: "col", text: h })); });
    t.appendChild(el("thead", null, tr));
    t.appendChild(el("tbody"));
    return t;
  }
  function scroll(t) { return el("div", { "class": "table-scroll", tabindex: "0" }, t); }

  function filesTable() {
    var t = table("The answer files, by respondent", ["File", "Organization", "Scope", "Assessor", "Date"]);
    held.forEach(function (f) {
      var k = T.key(f);
      var tr = el("tr", null, el("th", { scope: "row", text: f.name }));
      k.forEach(function (v) { tr.appendChild(el("td", { text: v === "" ? "(none)" : v })); });
      t.tBodies[0].appendChild(tr);
    });
    return scroll(t);
  }

  /** The heat map's state of a cell: by its lowest level, as the report's page. */
  function heat(cell) {
    if (!cell.levels.length) return "not-assessable";
    var low = cell.levels[0].value;
    return low === 0 ? "not-achieved" : low >= top ? "achieved" : "partial";
  }
  function cellText(cell) {
    var parts = cell.levels.map(function (c) { return c.files + "\u00D7 L" + c.value; });
    cell.states.forEach(function (c) { parts.push(c.files + "\u00D7 " + (C.STATUS_TEXT[c.value] || c.value)); });
    var out = parts.join(", ");
    if (cell.applicable) out += "; " + cell.performed + "/" + cell.applicable + " performed";
    if (cell.target !== null) out += "; target " + cell.target + (cell.below_target ? ", " + cell.below_target + " below" : "");
    return out;
  }
  function matrixView(m) {
    var heads = ["Scope (latest date, files)"].concat(m.areas.map(function (a) { return a.id; }));
    var t = table("Scopes and areas: capability levels at each scope's latest date (how many files give each level; never averaged)", heads, "heatmap team-matrix");
    m.rows.forEach(function (r) {
      var tr = el("tr", { "data-scope": r.scope }, el("th", { scope: "row", text: place(r) + " (" + plural(r.files, "file") + ")" }));
      r.cells.forEach(function (c) {
        var state = heat(c);
        tr.appendChild(el("td", { "class": "hm hm-" + state, "data-area": c.area, "data-levels": JSON.stringify(c.levels.map(function (x) { return [x.value, x.files]; })), title: areaName(c.area) },
          el("span", { "class": "sym", "aria-hidden": "true", text: C.STATE_SYMBOL[state] || "" }), " ", el("span", { text: cellText(c) })));
      });
      t.tBodies[0].appendChild(tr);
    });
    var share = table("Practices performed per area, over the files at each scope's latest date", ["Area", "Performed", "Share", "Highest target", "Files below target"], "team-share");
    m.areas.forEach(function (a) {
      var x = a.total;
      share.tBodies[0].appendChild(el("tr", { "data-area": a.id }, el("th", { scope: "row", text: a.id + " " + a.name }),
        el("td", { text: x.performed + " of " + x.applicable }), el("td", { text: x.applicable ? pct(x.performed / x.applicable) : "\u2014" }),
        el("td", { text: x.target === null ? "\u2014" : String(x.target) }), el("td", { text: String(x.below_target) })));
    });
    return el("div", null, scroll(t), scroll(share));
  }

  function answerCell(a) {
    var td = el("td", { "data-value": a.value === null ? "" : String(a.value) }, el("strong", { text: valueText(a.value) }));
    if (a.reason !== null) td.appendChild(el("div", { "class": "reason", text: "Reason: " + a.reason }));
    if (a.note !== null) td.appendChild(el("div", { "class": "note", text: a.note }));
    a.evidence.forEach(function (e) {
      var label = e.description === null ? e.href : e.description + " (" + e.href + ")";
      var link = /^https?:\/\//i.test(e.href) ? el("a", { href: e.href, rel: "noopener noreferrer", text: label }) : el("span", { text: label });
      td.appendChild(el("div", { "class": "evidence" }, "Evidence: ", link));
    });
    return td;
  }
  function teamView(t, consensus) {
    var names = t.assessors.map(function (a) { return who(a.assessor); });
    var sec = el("section", { "class": "team", "data-team": JSON.stringify([t.organization, t.scope, t.date]) });
    sec.appendChild(el("h4", { text: place(t) + ": " + plural(names.length, "assessor") + ", " + plural(t.disputed.length, "question") + " disputed" }));
    var lv = table("Level per area and assessor", ["Area"].concat(names));
    t.areas.forEach(function (x) {
      var tr = el("tr", { "data-area": x.id }, el("th", { scope: "row", text: areaName(x.id) }));
      x.levels.forEach(function (l, n) { tr.appendChild(el("td", { text: levelWords(x.statuses[n], l) })); });
      lv.tBodies[0].appendChild(tr);
    });
    sec.appendChild(scroll(lv));
    if (t.alike.length) sec.appendChild(el("p", { "class": "muted", text: plural(t.alike.length, "question") + " answered alike by every assessor, without note or evidence." }));
    if (t.questions.length) {
      var q = table("Questions answered differently, noted or with evidence", ["Question"].concat(names, ["Spread", "Disputed"]), "team-questions");
      t.questions.forEach(function (x) {
        var tr = el("tr", { "data-question": x.id, "data-disputed": x.disputed || "", "class": x.disputed ? "disputed" : null },
          el("th", { scope: "row" }, el("span", { "class": "id", text: x.id }), " " + x.title));
        x.answers.forEach(function (a) { tr.appendChild(answerCell(a)); });
        tr.appendChild(el("td", { text: x.spread ? x.spread.low + "\u2013" + x.spread.high + " (" + plural(x.spread.steps, "step") + ")" : "\u2014" }));
        tr.appendChild(el("td", { text: x.disputed ? "Disputed: " + T.WHY[x.disputed] : (x.unanswered ? plural(x.unanswered, "assessor") + " left it unanswered" : "no") }));
        q.tBodies[0].appendChild(tr);
      });
      sec.appendChild(scroll(q));
    }
    if (consensus) {
      var b = el("button", { type: "button", "data-action": "team-consensus", text: "Download the consensus file (" + consensus.rule + ")" });
      b.addEventListener("click", function () { io.download(fileName(consensus), "application/json", consensus.text); });
      sec.appendChild(el("p", { "class": "no-print" }, b, " " + plural(consensus.disputed, "question") + " marked DISPUTED in its notes."));
    }
    return sec;
  }
  /** The name `--consensus` gives the file: letters and digits only. */
  function fileName(c) {
    var part = function (s) {
      return s.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "").slice(0, 40);
    };
    var parts = [c.organization, c.scope, c.date].map(part).filter(function (s) { return s !== ""; });
    return (parts.length ? "consensus-" + parts.join("--") : "consensus-team") + ".json";
  }

  function historyView(h) {
    var sec = el("section", { "class": "team-dates", "data-scope": h.scope });
    var dates = h.dates.map(function (d) { return d.date === "" ? "(no date)" : d.date; });
    var t = table(place({ organization: h.organization, scope: h.scope, date: "" }).replace(/ \u00B7 \(none\)$/, "") + ": level per area and date", ["Area"].concat(dates));
    (h.dates[0] ? h.dates[0].areas : []).forEach(function (a, n) {
      var tr = el("tr", { "data-area": a.id }, el("th", { scope: "row", text: areaName(a.id) }));
      h.dates.forEach(function (d) { tr.appendChild(el("td", { text: levelWords(d.areas[n].status, d.areas[n].level) })); });
      t.tBodies[0].appendChild(tr);
    });
    sec.appendChild(scroll(t));
    h.dates.slice(1).forEach(function (d, n) {
      var ul = el("ul", { "data-date": d.date });
      d.became_performed.forEach(function (id) { ul.appendChild(el("li", { "data-became": id, text: "\u25B2 " + id + " " + (questions[id] ? questions[id].title : "") + ": became performed" })); });
      d.stopped_performed.forEach(function (id) { ul.appendChild(el("li", { "data-stopped": id, text: "\u25BC " + id + " " + (questions[id] ? questions[id].title : "") + ": stopped being performed" })); });
      sec.appendChild(el("p", { text: dates[n + 1] + " against " + dates[n] + ": " + (ul.children.length ? "" : "no practice changed.") }));
      if (ul.children.length) sec.appendChild(ul);
    });
    return sec;
  }

  function controls() {
    var inp = el("input", { type: "file", id: "team-files", multiple: "multiple", accept: "application/json,.json,text/csv,.csv" });
    inp.addEventListener("change", function () {
      var list = Array.prototype.slice.call(inp.files || []), texts = [], left = list.length;
      list.forEach(function (f, n) {
        var r = new FileReader();
        var done = function (text) {
          texts[n] = { name: f.name, text: text };
          if (--left === 0) add(texts.filter(function (x) { return x.text !== null; }));
        };
        r.onload = function () { done(String(r.result)); };
        r.onerror = function () { say("error", f.name + ": the file could not be read."); done(null); };
        r.readAsText(f);
      });
      inp.value = "";
    });
    var sel = el("select", { id: "team-rule" });
    [["min", "min: the lowest answer"], ["mode", "mode: the most frequent answer"]].forEach(function (o) {
      sel.appendChild(el("option", { value: o[0], text: o[1], selected: o[0] === rule ? "selected" : null }));
    });
    sel.addEventListener("change", function () { rule = sel.value; render(); });
    var clearB = el("button", { type: "button", "data-action": "team-clear", text: "Close the files" });
    clearB.addEventListener("click", clear);
    return el("div", { "class": "team-tools no-print" },
      el("p", null, el("label", { "for": "team-files", text: "Open a team's answer files (JSON or CSV): " }), inp),
      el("p", null, el("label", { "for": "team-rule", text: "Consensus: " }), sel, " ", clearB),
      el("p", { "class": "muted", text: "The files stay in this page: nothing is saved in this browser or imported, and a reload forgets them." }));
  }

  function render() {
    var box = $("#results-team");
    if (!box) return;
    clearEl(box);
    // Nothing to print until files are open.
    var sec = el("section", { "class": "results-team" + (held.length ? "" : " no-print"), "aria-labelledby": "res-team-h" },
      el("h2", { id: "res-team-h", text: "A team's answer files" }), controls(),
      el("div", { role: "status", "aria-live": "polite", id: "team-messages", "class": "no-print" }));
    box.appendChild(sec);
    if (!held.length) return;
    var v = T.compare(C.D, held, { consensus: held.length > 1 ? rule : null });
    if (v.duplicates) {
      say("error", "Two answer files of one respondent (organization, scope, assessor and date): the team view needs one file each. Close the files and open them without one of each pair, or set the assessor or date that tells them apart.",
        v.duplicates.map(function (d) { return d[1] + " repeats " + d[0]; }));
      return;
    }
    sec.appendChild(filesTable());
    sec.appendChild(el("h3", { text: "Scopes and areas" }));
    sec.appendChild(matrixView(v.matrix));
    var teams = v.teams.filter(function (t) { return t.assessors.length > 1; });
    sec.appendChild(el("h3", { text: "Assessors side by side" }));
    if (!teams.length) sec.appendChild(el("p", { "class": "muted", text: "No scope and date has two assessors." }));
    teams.forEach(function (t) {
      var c = v.consensus.filter(function (x) { return x.organization === t.organization && x.scope === t.scope && x.date === t.date; })[0];
      sec.appendChild(teamView(t, c));
    });
    var dated = v.history.filter(function (h) { return h.dates.length > 1; });
    sec.appendChild(el("h3", { text: "Dates" }));
    if (!dated.length) sec.appendChild(el("p", { "class": "muted", text: "No scope has files of two dates." }));
    dated.forEach(function (h) { sec.appendChild(historyView(h)); });
  }

  render();
  lib.provide("team", { add: add, files: function () { return held.slice(); }, clear: clear });
  lib.api({
    /** Opens answer files ([{name, text}]) in the team view; how many were added. */
    teamFiles: function (texts) { return add(Array.isArray(texts) ? texts : []); },
    /** What the team view shows, as team.js computes it. */
    teamView: function () { return JSON.parse(JSON.stringify(T.compare(C.D, held, { consensus: rule }))); }
  });
})();
