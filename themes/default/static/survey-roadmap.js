/* refbook survey: the roadmap on the results page. For each area with a
 * target, what must become performed to reach it, level by level, as the
 * roadmap rule of scoring.js computes it (refbookScoring.prepare(D).roadmap);
 * each item gets an owner, a due date and a note, saved with the answers as
 * the answer file's `plan`. The roadmap exports as CSV (cells never become
 * formulas: survey-io.js's csvField) and JSON, and prints.
 *
 * Provides lib.part("roadmap"); API: roadmap, roadmapCSV, roadmapJSON.
 *
 * Loads after: survey-data.js scoring.js survey-base.js survey-store.js survey-csv.js survey-io.js survey-results.js
 */
(function () {
  "use strict";

  var own = Object.prototype.hasOwnProperty;
  var S = own.call(window, "refbookSurvey") ? window.refbookSurvey : null;
  var lib = S && own.call(S, "lib") ? S.lib : null;
  if (!lib) {
    if (window.console) console.error("refbook: load assets/survey-base.js before assets/survey-roadmap.js; the roadmap is off.");
    return;
  }
  var C = lib.need("store", "survey-roadmap.js");
  var io = C && lib.need("io", "survey-roadmap.js");
  if (!C || !io) { lib.provide("roadmap", null); return; }
  var $ = lib.$, el = lib.el, clearEl = lib.clearEl, plural = lib.plural;
  var ROOT = lib.ROOT, URLS = C.D.urls || {}, questions = C.questions, areaByCode = C.areaByCode;
  var LABEL = { owner: "Owner", due: "Due", note: "Note" };

  /** The rule's roadmap for the saved answers and scope, each item with its
   *  question's title and the saved plan (owner, due, note). */
  function build() {
    var list = C.scoring.roadmap(C.answers(), C.scope());
    list.forEach(function (e) {
      e.steps.forEach(function (st) {
        st.goals.forEach(function (g) {
          g.items.forEach(function (it) {
            it.title = own.call(questions, it.id) ? questions[it.id].title : "";
            var p = own.call(C.plan(), it.id) ? C.plan()[it.id] : {};
            // only those given, as in refbook report's JSON
            C.PLAN_FIELDS.forEach(function (k) { if (typeof p[k] === "string" && p[k] !== "") it[k] = p[k]; });
          });
        });
      });
    });
    return list;
  }
  function answerLabel(v) { return v === null || v === undefined ? "unanswered" : v === "na" ? "N/A without a reason" : C.valueLabel(v); }
  function stepName(level) { return "Level " + level + (C.levelName[level] ? " " + C.levelName[level] : ""); }
  function entryState(e) {
    if (e.assess_first) return "assess first";
    if (e.met) return "target met";
    return "level " + e.level + " to " + e.target;
  }

  function planInput(it, k) {
    var inp = el("input", { type: k === "due" ? "date" : "text", value: it[k] || "", "data-plan": k, "class": "plan-" + k,
      "aria-label": LABEL[k] + " for " + it.id });
    // Paper gets the text: an empty date field would print as its placeholder.
    var shown = el("span", { "class": "print-only plan-text", text: it[k] || "" });
    inp.addEventListener("input", function () {
      // the store keeps whole entries: this field changed, the others as saved
      var e = {}, saved = own.call(C.plan(), it.id) ? C.plan()[it.id] : {};
      C.PLAN_FIELDS.forEach(function (f) { if (typeof saved[f] === "string") e[f] = saved[f]; });
      e[k] = inp.value;
      if (C.setPlan(it.id, e)) shown.textContent = inp.value; // a due date half typed is not saved yet
    });
    return [inp, shown];
  }
  function goalTable(e, st, g) {
    var t = el("table", { "class": "roadmap-items", "data-roadmap-goal": g.id });
    t.appendChild(el("caption", { text: g.id + (g.items.length ? ": " + plural(g.items.length, "item") + " to perform" :
      ": no question in this area, so nothing answered can achieve it") }));
    if (!g.items.length) return t;
    t.appendChild(el("thead", null, el("tr", null, el("th", { scope: "col", text: "Item" }), el("th", { scope: "col", text: "Now" }),
      el("th", { scope: "col", text: "Owner" }), el("th", { scope: "col", text: "Due" }), el("th", { scope: "col", text: "Note" }))));
    var tb = el("tbody");
    g.items.forEach(function (it) {
      var q = questions[it.id];
      var href = ROOT + URLS.survey + (q && q.anchor ? "#" + q.anchor : "");
      tb.appendChild(el("tr", { "data-roadmap-item": it.id, "data-kind": it.kind },
        el("th", { scope: "row" }, el("a", { "class": "id", href: href, text: it.id }), " " + it.title),
        el("td", { "data-label": "Now", text: answerLabel(it.value) }),
        el("td", { "data-label": LABEL.owner }, planInput(it, "owner")), el("td", { "data-label": LABEL.due }, planInput(it, "due")),
        el("td", { "data-label": LABEL.note }, planInput(it, "note"))));
    });
    t.appendChild(tb);
    return t;
  }
  function areaSection(e) {
    var a = areaByCode[e.area];
    var sec = el("section", { "class": "roadmap-area", "data-roadmap-area": e.area },
      el("h3", null, el("span", { "class": "id", text: e.area }), " " + (a ? a.name : ""),
        el("span", { "class": "muted", text: " \u2014 level " + e.level + ", target " + e.target })));
    e.steps.forEach(function (st) {
      var div = el("div", { "class": "roadmap-step", "data-roadmap-step": st.level },
        el("h4", { text: "To " + stepName(st.level) + (st.unreachable ? " (cannot be reached: " + (st.blocked || "a lower level") + " has no question in this area)" : "") }));
      if (!st.goals.length) div.appendChild(el("p", { "class": "muted", text: "Nothing more: the goals it requires are achieved." }));
      st.goals.forEach(function (g) { div.appendChild(goalTable(e, st, g)); });
      sec.appendChild(div);
    });
    return sec;
  }

  function render() {
    var box = $("#results-roadmap");
    if (!box) return;
    clearEl(box);
    var list = build();
    var sec = el("section", { "class": "results-roadmap", "aria-labelledby": "res-rm-h" },
      el("h2", { id: "res-rm-h", text: "Roadmap to the targets" }));
    sec.appendChild(el("p", { "class": "muted", text: "For each area below its target, the practices and generic practices that must become performed, " +
      "level by level in the order the levels need them. Owner, due date and note are saved with the answers (the file's plan)." }));
    if (!list.length) {
      sec.appendChild(el("p", { "class": "roadmap-empty", text: "No area in scope has a target yet: set targets above to get a roadmap." }));
    } else {
      var csv = el("button", { type: "button", "data-action": "roadmap-csv", text: "Export roadmap CSV" });
      var json = el("button", { type: "button", "data-action": "roadmap-json", text: "Export roadmap JSON" });
      csv.addEventListener("click", function () { io.download(io.fileStem() + "-roadmap.csv", "text/csv;charset=utf-8", "\uFEFF" + toCSV()); });
      json.addEventListener("click", function () { io.download(io.fileStem() + "-roadmap.json", "application/json", toJSON()); });
      sec.appendChild(el("p", { "class": "no-print" }, csv, " ", json));
      list.filter(function (e) { return !e.assess_first && !e.met; }).forEach(function (e) { sec.appendChild(areaSection(e)); });
      // The areas with nothing to plan, in one line each: a long list of them would fill pages.
      [["assess_first", "roadmap-assess-first", "Not assessed, so nothing to plan yet (answer their questions first): "],
        ["met", "roadmap-met", "Target met: "]].forEach(function (k) {
        var some = list.filter(function (e) { return e[k[0]]; });
        if (!some.length) return;
        var p = el("p", { "class": k[1] }, k[2]);
        some.forEach(function (e, i) {
          p.appendChild(el("span", { "data-roadmap-area": e.area, title: areaByCode[e.area] ? areaByCode[e.area].name : "",
            text: e.area + " (target " + e.target + ")" + (i < some.length - 1 ? ", " : ".") }));
        });
        sec.appendChild(p);
      });
    }
    box.appendChild(sec);
  }

  /** An action list a team can track: one row per item, and one per area
   *  that has none (assess first, target met, or a level that cannot be reached). */
  function toCSV() {
    var head = ["area", "area_name", "state", "level", "target", "step_level", "reachable", "goal", "id", "kind", "objective", "title",
      "answer", "answer_label", "owner", "due", "note"];
    var rows = [head];
    build().forEach(function (e) {
      var a = areaByCode[e.area], base = [e.area, a ? a.name : "", entryState(e), e.level === null ? "" : e.level, e.target];
      var n = 0;
      e.steps.forEach(function (st) {
        st.goals.forEach(function (g) {
          if (!g.items.length) { rows.push(base.concat([st.level, st.unreachable ? "no" : "yes", g.id, "", "", "", "no question in this area"])); n++; }
          g.items.forEach(function (it) {
            n++;
            rows.push(base.concat([st.level, st.unreachable ? "no" : "yes", g.id, it.id, it.kind, it.objective || "", it.title,
              it.value === null ? "" : it.value, answerLabel(it.value), it.owner, it.due, it.note]));
          });
        });
      });
      if (!n) rows.push(base);
    });
    return rows.map(function (r) {
      while (r.length < head.length) r.push("");
      return r.map(io.csvField).join(",");
    }).join("\r\n") + "\r\n";
  }
  function toJSON() {
    var resp = {};
    C.RESPONDENT_FIELDS.forEach(function (k) { if (C.respondentValue(k)) resp[k] = C.respondentValue(k); });
    return JSON.stringify({ format: "refbook-roadmap", version: 1, model: C.MODEL, model_version: C.D.model_version,
      respondent: resp, areas: build() }, null, 2) + "\n";
  }

  C.onRedraw(render);
  render();
  lib.provide("roadmap", { build: build, render: render });
  lib.api({
    roadmap: function () { return JSON.parse(JSON.stringify(build())); },
    roadmapCSV: toCSV,
    roadmapJSON: toJSON
  });
})();
