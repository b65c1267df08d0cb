/* refbook survey: the results page. Draws, from the saved answers as scoring.js
 * scores them, the summary, the chart of capability levels by area (SVG), the
 * areas per level by category, the heat map of objective and goal states, the
 * gaps (practices not performed, by area and level), the N/A answers and the
 * notes. Targets, the roadmap, comparisons and history are the scripts
 * survey-targets.js, survey-roadmap.js, survey-compare.js, survey-history.js.
 *
 * Provides lib.part("results").
 *
 * Loads after: survey-data.js scoring.js survey-base.js survey-store.js
 */
(function () {
  "use strict";

  var own = Object.prototype.hasOwnProperty;
  var S = own.call(window, "refbookSurvey") ? window.refbookSurvey : null;
  var lib = S && own.call(S, "lib") ? S.lib : null;
  if (!lib) {
    if (window.console) console.error("refbook: load assets/survey-base.js before assets/survey-results.js; the results are off.");
    return;
  }
  var C = lib.need("store", "survey-results.js");
  if (!C) { lib.provide("results", null); return; } // no survey here, or it says why
  var $ = lib.$, el = lib.el, svg = lib.svg, clearEl = lib.clearEl, pct = lib.pct, plural = lib.plural;
  var D = C.D, ROOT = lib.ROOT, areas = C.areas, questions = C.questions, levels = C.levels, levelName = C.levelName;
  var P = D.performed_at, scaleLabel = C.scaleLabel, URLS = D.urls || {};
  var specific = {};
  (D.specific_goals || []).forEach(function (g) { specific[g] = true; });
  var maxLevel = levels.length ? levels[levels.length - 1].level : 0;

  /** Goals first required at each level (levels accumulate their requirements). */
  var newGoalsAt = {};
  (function () {
    var seen = {};
    levels.forEach(function (l) {
      newGoalsAt[l.level] = (l.requires || []).filter(function (g) {
        if (seen[g]) return false; seen[g] = true; return true;
      });
    });
  })();

  function answerText(id) {
    var v = C.value(C.answers(), id);
    return v === undefined ? "unanswered" : C.valueLabel(v).toLowerCase();
  }
  function questionLink(id) {
    // the addresses come with the survey data (urls, each question's anchor)
    var q = questions[id];
    return ROOT + URLS.survey + (q && q.anchor ? "#" + q.anchor : "");
  }

  function barChart(scores) {
    var rowH = 22, top = 34, left = 250, width = 760, right = 110;
    var plotW = width - left - right;
    var rows = [];
    (D.categories || []).forEach(function (c) {
      var as = areas.filter(function (a) { return a.category === c.id; });
      if (!as.length) return;
      rows.push({ cat: c });
      as.forEach(function (a) { rows.push({ area: a }); });
    });
    areas.forEach(function (a) {
      if (!(D.categories || []).some(function (c) { return c.id === a.category; })) rows.push({ area: a });
    });
    var height = top + rows.length * rowH + 10;
    var x = function (lv) { return left + (maxLevel ? (lv / maxLevel) * plotW : 0); };
    var s = svg("svg", { "class": "chart level-chart", viewBox: "0 0 " + width + " " + height, width: "100%",
      role: "img", "aria-labelledby": "level-chart-title level-chart-desc", preserveAspectRatio: "xMinYMin meet" });
    s.appendChild(svg("title", { id: "level-chart-title", text: "Capability level by area" }));
    s.appendChild(svg("desc", { id: "level-chart-desc", text: areas.map(function (a) {
      var r = scores[a.code];
      return a.code + ": " + C.levelText(a, r) + (r.target !== null ? ", target " + r.target : ""); }).join("; ") }));
    levels.forEach(function (l) {
      s.appendChild(svg("line", { "class": "grid", x1: x(l.level), x2: x(l.level), y1: top - 6, y2: height - 10 }));
      s.appendChild(svg("text", { "class": "tick", x: x(l.level), y: top - 20, "text-anchor": "middle", text: String(l.level) }));
      s.appendChild(svg("text", { "class": "tick tick-name", x: x(l.level), y: top - 8, "text-anchor": "middle", text: l.name }));
    });
    rows.forEach(function (row, i) {
      var y = top + i * rowH;
      if (row.cat) {
        s.appendChild(svg("text", { "class": "cat", x: 4, y: y + rowH - 7, text: row.cat.name }));
        return;
      }
      var a = row.area, r = scores[a.code];
      var g = svg("g", { "class": "bar-row", "data-area": a.code, "data-status": r.status, "data-level": r.level === null ? "" : r.level });
      g.appendChild(svg("title", { text: a.code + " " + a.name + ": " + C.levelText(a, r) }));
      g.appendChild(svg("text", { "class": "label", x: 14, y: y + rowH - 7, text: a.code + "  " + (a.name.length > 30 ? a.name.slice(0, 29) + "\u2026" : a.name) }));
      if (r.status !== "assessed") {
        g.appendChild(svg("text", { "class": "value status-mark st-" + r.status, x: left + 4, y: y + rowH - 7,
          text: C.STATUS_SYMBOL[r.status] + " " + C.levelText(a, r) }));
      } else {
        var w = Math.max(x(r.level) - left, 2);
        g.appendChild(svg("rect", { "class": "bar bar-level-" + r.level, x: left, y: y + 4, width: w, height: rowH - 8 }));
        g.appendChild(svg("text", { "class": "value", x: left + w + 5, y: y + rowH - 7,
          text: r.level + (levelName[r.level] ? " " + levelName[r.level] : "") }));
      }
      if (r.target !== null && r.status !== "out-of-scope") { // the target: a diamond on the level's line
        var tx = x(Math.min(r.target, maxLevel)), cy = y + rowH / 2;
        g.appendChild(svg("path", { "class": "target-mark", "data-target": r.target,
          d: "M" + tx + " " + (cy - 7) + "l6 7l-6 7l-6 -7z" }));
      }
      s.appendChild(g);
    });
    return s;
  }

  function distributionTable(scores) {
    var t = el("table", { "class": "distribution" });
    t.appendChild(el("caption", { text: "Areas per capability level, and practices performed, by category and for the whole model" }));
    var hr = el("tr", null, el("th", { scope: "col", text: "Category" }), el("th", { scope: "col", text: "Areas" }));
    levels.forEach(function (l) { hr.appendChild(el("th", { scope: "col", text: "Level " + l.level + " " + l.name })); });
    var OTHER = ["not-assessed", "not-applicable", "out-of-scope", "not-assessable"];
    OTHER.forEach(function (st) {
      hr.appendChild(el("th", { scope: "col", "class": "st-" + st, text: C.STATUS_SYMBOL[st] + " " + C.STATUS_TEXT[st].charAt(0).toUpperCase() + C.STATUS_TEXT[st].slice(1) }));
    });
    hr.appendChild(el("th", { scope: "col", text: "Practices performed" }));
    hr.appendChild(el("th", { scope: "col", text: "Generic practices performed" }));
    t.appendChild(el("thead", null, hr));
    function line(label, as, isTotal) {
      var tr = el("tr", { "class": isTotal ? "total" : null }, el("th", { scope: "row", text: label }), el("td", { text: String(as.length) }));
      levels.forEach(function (l) {
        var n = as.filter(function (a) { return scores[a.code].status === "assessed" && scores[a.code].level === l.level; }).length;
        tr.appendChild(el("td", { "class": n ? "n" : "n zero", text: String(n) }));
      });
      OTHER.forEach(function (st) {
        var n = as.filter(function (a) { return scores[a.code].status === st; }).length;
        tr.appendChild(el("td", { "class": "n st-" + st + (n ? "" : " zero"), "data-count-status": st, text: String(n) }));
      });
      [["practices"], ["generic"]].forEach(function (k) {
        var perf = 0, appl = 0, un = 0;
        as.forEach(function (a) { var r = scores[a.code][k[0]]; perf += r.performed; appl += r.applicable; un += r.total - r.answered; });
        tr.appendChild(el("td", { text: perf + " of " + appl + " (" + pct(perf, appl) + ")" + (un ? ", " + un + " unanswered" : "") }));
      });
      return tr;
    }
    var tb = el("tbody");
    (D.categories || []).forEach(function (c) {
      var as = areas.filter(function (a) { return a.category === c.id; });
      if (as.length) tb.appendChild(line(c.name, as));
    });
    t.appendChild(tb);
    t.appendChild(el("tfoot", null, line("Whole model", areas, true)));
    return t;
  }

  function heatMap(scores) {
    var maxObj = 0, goalIds = [];
    areas.forEach(function (a) {
      maxObj = Math.max(maxObj, a.objectives.length);
      a.goals.forEach(function (g) { if (goalIds.indexOf(g.id) < 0) goalIds.push(g.id); });
    });
    var t = el("table", { "class": "heatmap" });
    t.appendChild(el("caption", { text: "State of each objective and generic goal, by area" }));
    var hr = el("tr", null, el("th", { scope: "col", text: "Area" }), el("th", { scope: "col", text: "Level" }));
    if (maxObj) hr.appendChild(el("th", { scope: "colgroup", colspan: maxObj, text: "Objectives" }));
    goalIds.forEach(function (g) { hr.appendChild(el("th", { scope: "col", text: g })); });
    t.appendChild(el("thead", null, hr));
    var tb = el("tbody");
    function cell(id, title, state) {
      return el("td", { "class": "hm hm-" + state, title: id + " " + title + ": " + C.STATE_TEXT[state] },
        el("span", { "class": "sym", "aria-hidden": "true", text: C.STATE_SYMBOL[state] }), " ", el("span", { text: id }),
        el("span", { "class": "visually-hidden", text: ": " + C.STATE_TEXT[state] }));
    }
    areas.forEach(function (a) {
      var r = scores[a.code];
      var tr = el("tr", null, el("th", { scope: "row" }, el("a", { href: ROOT + a.url, text: a.code }), " ", el("span", { "class": "area-name", text: a.name })),
        el("td", { "class": "lvl st-" + r.status, "data-area": a.code, "data-status": r.status, "data-level": r.level === null ? "" : String(r.level),
          title: C.levelText(a, r), text: r.status === "assessed" ? String(r.level) : C.STATUS_SYMBOL[r.status] + " " + C.STATUS_TEXT[r.status] }));
      a.objectives.forEach(function (o) { tr.appendChild(cell(o.id, o.title, r.objectives[o.id].state)); });
      if (a.objectives.length < maxObj) {
        tr.appendChild(el("td", { "class": "hm-none", colspan: maxObj - a.objectives.length, text: a.objectives.length ? "" : "no objectives" }));
      }
      goalIds.forEach(function (g) {
        tr.appendChild(r.goals[g] ? cell(g, "", r.goals[g].state) : el("td", { "class": "hm-none", text: "" }));
      });
      tb.appendChild(tr);
    });
    t.appendChild(tb);
    return t;
  }
  function legend() {
    var ul = el("ul", { "class": "hm-legend" });
    ["achieved", "partial", "not-achieved", "unanswered", "not-assessable"].forEach(function (s) {
      ul.appendChild(el("li", null, el("span", { "class": "hm hm-" + s, "aria-hidden": "true", text: C.STATE_SYMBOL[s] }), " " + C.STATE_TEXT[s]));
    });
    return ul;
  }

  function gapList(scores) {
    var wrap = el("div", { "class": "gaps" });
    var any = false;
    areas.forEach(function (a) {
      var r = scores[a.code];
      var sec = el("section", { "class": "gap-area", "data-gap-area": a.code });
      sec.appendChild(el("h3", null, el("a", { href: ROOT + a.url }, el("span", { "class": "id", text: a.code }), " " + a.name),
        el("span", { "class": "muted", text: " \u2014 " + C.levelText(a, r) })));
      if (!r.assessable) {
        var why = a.reason || "This area has no objectives.";
        sec.appendChild(el("p", { "class": "muted not-assessable-reason", text: "Not assessable, so not asked and no capability level can be reached. The model says: " + why }));
        wrap.appendChild(sec); return;
      }
      if (r.status === "out-of-scope" || r.status === "not-applicable") {
        sec.appendChild(el("p", { "class": "muted", text: r.status === "out-of-scope" ? "Out of scope: not asked, no level." :
          "Not applicable: every practice was answered N/A (see the N/A answers below); no level." }));
        wrap.appendChild(sec); return;
      }
      var shown = 0;
      levels.forEach(function (l) {
        var items = [];
        (newGoalsAt[l.level] || []).forEach(function (g) {
          var ids = [];
          if (specific[g]) ids = a.practiceIds;
          else a.goals.forEach(function (x) { if (x.id === g) ids = (x.questions || []).map(function (q) { return q.id; }); });
          ids.forEach(function (id) {
            var v = C.value(C.answers(), id);
            if (v === "na" || C.performed(v)) return;
            items.push({ id: id, goal: g });
          });
          if (!specific[g] && !a.goals.some(function (x) { return x.id === g; }))
            items.push({ missing: g });
        });
        if (!items.length) return;
        shown++;
        sec.appendChild(el("h4", { text: "For level " + l.level + " " + l.name + " (" + (l.requires || []).join(", ") + "): " +
          plural(items.length, "practice") + " not performed" }));
        var ul = el("ul", { "class": "gap-items" });
        items.forEach(function (it) {
          if (it.missing) { ul.appendChild(el("li", { text: it.missing + ": no questions in this area, so this level cannot be reached." })); return; }
          var q = questions[it.id];
          ul.appendChild(el("li", null, el("a", { "class": "id", href: questionLink(it.id), text: it.id }), " " + q.title + " ",
            el("span", { "class": "answer-state", text: "(" + answerText(it.id) + ")" })));
        });
        sec.appendChild(ul);
      });
      if (!shown) sec.appendChild(el("p", { text: "No gaps: every practice up to the highest level is performed or not applicable." }));
      any = true;
      wrap.appendChild(sec);
    });
    if (!any) wrap.appendChild(el("p", { text: "No areas." }));
    return wrap;
  }

  /** Every N/A answer with its reason, and every answer that does not count (flagged). */
  function naList(scores) {
    var sec = el("section", { "class": "results-na", "aria-labelledby": "res-na-h" },
      el("h2", { id: "res-na-h", text: "Not applicable, and answers that do not count" }));
    var na = el("ul", { "class": "na-list" }), fl = el("ul", { "class": "flagged-list" });
    var WHY = { "na-without-reason": "N/A without a reason: counts as unanswered",
      "na-on-generic-practice": "N/A on a generic practice, which cannot be not applicable: counts as unanswered" };
    areas.forEach(function (a) {
      var r = scores[a.code];
      r.not_applicable.forEach(function (x) {
        na.appendChild(el("li", { "data-na": x.id }, el("a", { "class": "id", href: questionLink(x.id), text: x.id }),
          " " + (questions[x.id] ? questions[x.id].title : "") + ": ", el("q", { text: x.reason })));
      });
      r.flagged.forEach(function (x) {
        fl.appendChild(el("li", { "data-flagged": x.id, "data-problem": x.problem }, el("a", { "class": "id", href: questionLink(x.id), text: x.id }),
          " " + (questions[x.id] ? questions[x.id].title : "") + ": " + (WHY[x.problem] || x.problem)));
      });
    });
    sec.appendChild(na.children.length ? na : el("p", { "class": "muted", text: "No practice is answered N/A." }));
    if (fl.children.length) sec.appendChild(fl);
    return sec;
  }

  /** The evidence given, per area in model order: each question with its pieces
   *  (lib.evidenceItem: links only for http(s) addresses and paths, all text). */
  function evidenceList() {
    var sec = el("section", { "class": "results-evidence", "aria-labelledby": "res-ev-h" },
      el("h2", { id: "res-ev-h", text: "Evidence" }));
    areas.forEach(function (a) {
      var ul = el("ul");
      a.practiceIds.concat(a.genericIds).forEach(function (id) {
        var e = C.entry(id), ev = e && Array.isArray(e.evidence) ? e.evidence : [];
        if (!ev.length) return;
        ul.appendChild(el("li", { "data-evidence": id }, el("a", { "class": "id", href: questionLink(id), text: id }),
          " " + questions[id].title + " (" + answerText(id) + ")", el("ul", null, ev.map(lib.evidenceItem))));
      });
      if (ul.children.length) sec.appendChild(el("div", { "data-evidence-area": a.code },
        el("h3", { text: a.code + " " + a.name }), ul));
    });
    if (sec.children.length === 1) sec.appendChild(el("p", { "class": "muted", text: "No answer has evidence yet." }));
    return sec;
  }

  /** Every note given with an answer, in model order: the assessor's words go on the report. */
  function notesList() {
    var sec = el("section", { "class": "results-notes", "aria-labelledby": "res-notes-h" },
      el("h2", { id: "res-notes-h", text: "Notes" }));
    var ul = el("ul", { "class": "notes-list" });
    C.questionOrder.forEach(function (id) {
      var e = C.entry(id);
      if (!lib.isObj(e) || typeof e.note !== "string" || !/\S/.test(e.note)) return;
      ul.appendChild(el("li", { "data-note": id }, el("a", { "class": "id", href: questionLink(id), text: id }),
        " " + questions[id].title + " (" + answerText(id) + "): ", el("span", { "class": "note-text", text: e.note })));
    });
    sec.appendChild(ul.children.length ? ul : el("p", { "class": "muted", text: "No answer has a note." }));
    return sec;
  }

  /** Who assessed what, when: the head of the printed report. */
  function titleBlock() {
    var dl = el("dl", { "class": "title-block" });
    C.RESPONDENT_FIELDS.forEach(function (k) {
      dl.appendChild(el("dt", { text: k.charAt(0).toUpperCase() + k.slice(1) }));
      dl.appendChild(el("dd", { "data-respondent-field": k, text: C.respondentValue(k) || "\u2013" }));
    });
    return dl;
  }

  function renderResults() {
    var box = $("#results[data-results]");
    if (!box) return;
    var scores = C.scoreAll();
    clearEl(box);
    var answered = 0, total = 0;
    areas.forEach(function (a) { answered += scores[a.code].answered; total += scores[a.code].total; });
    var sum = el("section", { "class": "results-summary", "aria-labelledby": "res-sum-h" }, el("h2", { id: "res-sum-h", text: "Summary" }));
    sum.appendChild(titleBlock());
    sum.appendChild(el("p", { text: answered + " of " + total + " questions answered" +
      (C.updated() ? "; last change " + new Date(C.updated()).toLocaleString() : "") + "." }));
    var orph = C.orphans().length;
    if (orph) sum.appendChild(el("p", { "class": "warning" }, plural(orph, "saved answer") + " name questions this model does not use; see ",
      el("a", { href: ROOT + URLS.orphans, text: "the survey page" }), "."));
    if (!answered) sum.appendChild(el("p", null, "No answers yet: ", el("a", { href: ROOT + URLS.survey, text: "start the survey" }), "."));
    box.appendChild(sum);

    box.appendChild(el("section", { "class": "results-levels", "aria-labelledby": "res-lv-h" },
      el("h2", { id: "res-lv-h", text: "Capability level by area" }), barChart(scores),
      el("p", { "class": "muted", text: "\u25C6 marks an area's target level, where it has one." })));
    box.appendChild(el("section", { "class": "results-dist", "aria-labelledby": "res-dist-h", tabindex: "0" },
      el("h2", { id: "res-dist-h", text: "By category and for the whole model" }),
      el("p", { "class": "muted", text: "How many areas reached each level. Levels are not averaged: an average of levels means nothing. " +
        "Practices performed counts the applicable practices answered at or above \u201C" + (scaleLabel[String(P)] || P) + "\u201D; unanswered ones count as not performed." }),
      distributionTable(scores)));
    box.appendChild(el("section", { "class": "results-heat", "aria-labelledby": "res-heat-h", tabindex: "0" },
      el("h2", { id: "res-heat-h", text: "Objectives by area" }), legend(), heatMap(scores)));
    box.appendChild(el("section", { "class": "results-gaps", "aria-labelledby": "res-gap-h" },
      el("h2", { id: "res-gap-h", text: "Gaps: practices not performed, by area and level" }), gapList(scores)));
    box.appendChild(naList(scores));
    box.appendChild(notesList());
    box.appendChild(evidenceList());
  }

  C.onRedraw(renderResults);
  renderResults();
  lib.provide("results", { render: renderResults });
})();
