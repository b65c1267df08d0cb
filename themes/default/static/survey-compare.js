/* refbook survey: comparison on the results page, per question. Compares the
 * answers saved in this browser with one or more exported answer files or
 * saved snapshots (survey-history.js): which answers changed (from -> to),
 * which practices became performed or stopped being, and each area's level
 * change. Read only: nothing is imported. The chosen comparisons are kept in
 * localStorage under refbook:<model id>:compare ({version: 1, items: [{kind:
 * "file", name, file: <answer file>} | {kind: "snapshot", id}]}), so that they
 * survive a reload.
 *
 * Provides lib.part("compare") (diff: two sets of answers compared; view: a
 * diff drawn; render); API: compareJSON, compareSnapshot, comparisons.
 *
 * Loads after: survey-data.js scoring.js survey-base.js survey-store.js survey-csv.js survey-io.js
 */
(function () {
  "use strict";

  var own = Object.prototype.hasOwnProperty;
  var S = own.call(window, "refbookSurvey") ? window.refbookSurvey : null;
  var lib = S && own.call(S, "lib") ? S.lib : null;
  if (!lib) {
    if (window.console) console.error("refbook: load assets/survey-base.js before assets/survey-compare.js; the comparison is off.");
    return;
  }
  var C = lib.need("store", "survey-compare.js");
  var io = C && lib.need("io", "survey-compare.js");
  if (!C || !io) { lib.provide("compare", null); return; }
  var $ = lib.$, el = lib.el, clearEl = lib.clearEl, plural = lib.plural, isObj = lib.isObj;
  var areas = C.areas, questions = C.questions, KEY = "refbook:" + C.MODEL + ":compare";

  /* ---------- the comparison itself (no DOM) ---------- */

  function label(v) { return v === undefined ? "unanswered" : C.valueLabel(v); }
  /** `from` and `to`: {answers, scope}. Answers compare by what counts
   *  (C.value: a refused N/A is unanswered); levels by each side's own scope. */
  function diff(from, to) {
    var out = { answers: [], started: [], stopped: [], levels: [] };
    C.questionOrder.forEach(function (id) {
      var a = C.value(from.answers, id), b = C.value(to.answers, id);
      if (String(a) !== String(b)) out.answers.push({ id: id, from: a === undefined ? null : a, to: b === undefined ? null : b });
      if (C.performed(a) !== C.performed(b)) (C.performed(b) ? out.started : out.stopped).push(id);
    });
    var sa = C.scoreAll(from.answers, from.scope), sb = C.scoreAll(to.answers, to.scope);
    areas.forEach(function (ar) {
      var x = sa[ar.code], y = sb[ar.code];
      out.levels.push({ area: ar.code, from: { status: x.status, level: x.level }, to: { status: y.status, level: y.level },
        changed: x.status !== y.status || x.level !== y.level });
    });
    return out;
  }
  function levelWords(s) { return s.status === "assessed" ? "level " + s.level : C.STATUS_TEXT[s.status]; }
  function change(l) {
    if (!l.changed) return "no change";
    if (l.from.status === "assessed" && l.to.status === "assessed") {
      var n = l.to.level - l.from.level;
      return (n > 0 ? "\u25B2 +" : "\u25BC ") + n;
    }
    return levelWords(l.from) + " \u2192 " + levelWords(l.to);
  }

  /** A diff drawn: level changes, practices started and stopped, answers changed.
   *  `names`: {from, to} for the headings. */
  function view(d, names) {
    var wrap = el("div", { "class": "diff" });
    var t = el("table", { "class": "comparison" });
    t.appendChild(el("caption", { text: "Level per area: " + names.from + " against " + names.to }));
    t.appendChild(el("thead", null, el("tr", null, el("th", { scope: "col", text: "Area" }),
      el("th", { scope: "col", text: names.from }), el("th", { scope: "col", text: names.to }), el("th", { scope: "col", text: "Change" }))));
    var tb = el("tbody");
    d.levels.forEach(function (l) {
      var a = C.areaByCode[l.area];
      tb.appendChild(el("tr", { "data-compare-area": l.area, "class": l.changed ? "changed" : null },
        el("th", { scope: "row", text: l.area + " " + a.name }), el("td", { text: levelWords(l.from) }),
        el("td", { text: levelWords(l.to) }), el("td", { "data-change": l.changed ? "yes" : "no", text: change(l) })));
    });
    t.appendChild(tb);
    wrap.appendChild(el("div", { "class": "table-scroll", tabindex: "0" }, t));
    function idList(ids, cls, what) {
      if (!ids.length) return el("p", { "class": "muted " + cls, text: "No practice " + what + "." });
      var ul = el("ul", { "class": cls });
      ids.forEach(function (id) { ul.appendChild(el("li", { "data-id": id }, el("span", { "class": "id", text: id }), " " + questions[id].title)); });
      return el("div", null, el("p", { text: plural(ids.length, "practice") + " " + what + ":" }), ul);
    }
    wrap.appendChild(idList(d.started, "diff-started", "became performed"));
    wrap.appendChild(idList(d.stopped, "diff-stopped", "stopped being performed"));
    if (!d.answers.length) wrap.appendChild(el("p", { "class": "muted", text: "No answer changed." }));
    else {
      var at = el("table", { "class": "diff-answers" });
      at.appendChild(el("caption", { text: plural(d.answers.length, "answer") + " changed" }));
      at.appendChild(el("thead", null, el("tr", null, el("th", { scope: "col", text: "Question" }),
        el("th", { scope: "col", text: "From (" + names.from + ")" }), el("th", { scope: "col", text: "To (" + names.to + ")" }))));
      var ab = el("tbody");
      d.answers.forEach(function (x) {
        ab.appendChild(el("tr", { "data-changed": x.id }, el("th", { scope: "row" }, el("span", { "class": "id", text: x.id }), " " + questions[x.id].title),
          el("td", { text: label(x.from === null ? undefined : x.from) }), el("td", { text: label(x.to === null ? undefined : x.to) })));
      });
      at.appendChild(ab);
      wrap.appendChild(el("div", { "class": "table-scroll", tabindex: "0" }, at));
    }
    return wrap;
  }

  /* ---------- the chosen comparisons, kept ---------- */

  function loadChosen() {
    try {
      var s = JSON.parse(C.storage().getItem(KEY));
      return isObj(s) && Array.isArray(s.items) ? s.items.filter(isObj) : [];
    } catch (e) { return []; }
  }
  var chosen = C.storage() ? loadChosen() : [];
  function saveChosen() {
    var ls = C.storage();
    if (!ls) return;
    try { if (chosen.length) ls.setItem(KEY, JSON.stringify({ version: 1, items: chosen })); else ls.removeItem(KEY); }
    catch (e) { C.say("error", "This browser refuses to keep the comparison (" + e.name + "); it lasts until the page closes."); }
  }
  /** A chosen item as {name, answers, scope, respondent}, or null when its snapshot is gone. */
  function resolve(item) {
    if (item.kind === "snapshot") {
      var H = lib.part("history"), snap = H ? H.find(item.id) : null;
      return snap ? { name: "snapshot \u201C" + snap.name + "\u201D (" + String(snap.date).slice(0, 10) + ")", file: snap.file } : null;
    }
    return { name: String(item.name), file: item.file };
  }
  function sideOf(file) {
    var rep = io.read(JSON.stringify(file));
    return rep.errors.length ? null : { answers: rep.answers, scope: rep.scope, respondent: rep.respondent };
  }

  function say(kind, text) {
    var box = $("#compare-messages");
    if (box) { clearEl(box); box.appendChild(el("p", { "class": "msg msg-" + kind, text: text })); }
  }
  /** An answer file's text, JSON or CSV (by its name, else by its first line). */
  function compareWith(text, name) {
    var csv = io.isCSV(text, name);
    var rep = io.read(text, csv);
    if (rep.errors.length) { say("error", (name || "the file") + ": " + rep.errors.join(" ")); return rep; }
    // Kept as the JSON form, which sideOf reads back on every reload.
    var file = csv ? io.csvFile(text) : JSON.parse(text);
    chosen.push({ kind: "file", name: name || "the file", file: file });
    saveChosen();
    render();
    if (rep.problems.length || rep.unknown.length) say("warning", plural(rep.problems.length + rep.unknown.length, "entry", "entries") +
      " of " + (name || "the file") + " could not be compared (off the scale or unknown ids).");
    return { ok: true, warnings: rep.warnings };
  }
  function compareSnapshot(id) {
    chosen.push({ kind: "snapshot", id: id });
    saveChosen();
    render();
  }

  function controls() {
    var p = el("div", { "class": "compare-tools no-print" });
    var inp = el("input", { type: "file", accept: "application/json,.json,text/csv,.csv", id: "compare-file", multiple: "multiple" });
    inp.addEventListener("change", function () {
      Array.prototype.forEach.call(inp.files || [], function (f) {
        var r = new FileReader();
        r.onload = function () { compareWith(String(r.result), f.name); };
        r.readAsText(f);
      });
      inp.value = "";
    });
    p.appendChild(el("p", null, el("label", { "for": "compare-file", text: "Add exported answer files (JSON or CSV) to compare with: " }), inp));
    var H = lib.part("history"), snaps = H ? H.list() : [];
    if (snaps.length) {
      var sel = el("select", { id: "compare-snapshot" });
      snaps.forEach(function (s) { sel.appendChild(el("option", { value: s.id, text: s.name + " (" + String(s.date).slice(0, 10) + ")" })); });
      var b = el("button", { type: "button", "data-action": "compare-snapshot", text: "Compare" });
      b.addEventListener("click", function () { compareSnapshot(sel.value); });
      p.appendChild(el("p", null, el("label", { "for": "compare-snapshot", text: "Or a saved snapshot: " }), sel, " ", b));
    }
    p.appendChild(el("p", { "class": "muted", text: "Read only: nothing is imported. The comparisons chosen are kept in this browser until removed." }));
    return p;
  }

  function render() {
    var box = $("#results-compare");
    if (!box) return;
    clearEl(box);
    var sec = el("section", { "class": "results-compare", "aria-labelledby": "res-cmp-h" },
      el("h2", { id: "res-cmp-h", text: "Compare with other assessments" }), controls(),
      el("div", { role: "status", "aria-live": "polite", id: "compare-messages", "class": "no-print" }));
    var here = { answers: C.answers(), scope: C.scope() };
    chosen.forEach(function (item, i) {
      var r = resolve(item), side = r && sideOf(r.file);
      var remove = el("button", { type: "button", "class": "no-print", "data-action": "compare-remove", text: "Remove this comparison" });
      remove.addEventListener("click", function () { chosen.splice(i, 1); saveChosen(); render(); });
      var art = el("section", { "class": "compare-item", "data-compare": String(i) });
      if (!side) {
        art.appendChild(el("p", { "class": "muted" }, "A comparison whose snapshot was deleted. ", remove));
        sec.appendChild(art); return;
      }
      var who = C.RESPONDENT_FIELDS.map(function (k) { return side.respondent[k]; }).filter(Boolean).join(" \u00B7 ");
      art.appendChild(el("h3", { text: "This browser against " + r.name + (who ? " (" + who + ")" : "") }));
      art.appendChild(el("p", null, remove));
      art.appendChild(view(diff(side, here), { from: r.name, to: "this browser" }));
      sec.appendChild(art);
    });
    box.appendChild(sec);
  }

  // Another tab chose or removed a comparison.
  window.addEventListener("storage", function (e) { if (e.key === KEY) { chosen = loadChosen(); render(); } });
  C.onRedraw(render);
  render();
  lib.provide("compare", { diff: diff, view: view, render: render });
  lib.api({
    compareJSON: function (text, name) { return compareWith(text, name); },
    compareSnapshot: compareSnapshot,
    /** The comparisons shown, each as its diff (from the other, to this browser). */
    comparisons: function () {
      var here = { answers: C.answers(), scope: C.scope() };
      return chosen.map(function (item) {
        var r = resolve(item), side = r && sideOf(r.file);
        return side ? { name: r.name, diff: diff(side, here) } : null;
      });
    }
  });
})();
