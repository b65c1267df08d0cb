/* refbook survey: history on the results page. Saves the current answers as a
 * named, dated snapshot (the answer file that export would write); imports
 * past answer files, or a file of snapshots, as snapshots; shows the trend of
 * each area's level and of each category's levels by date, and what changed
 * since the previous snapshot (survey-compare.js draws the changes).
 *
 * Snapshots live in localStorage next to the answers, under
 * refbook:<model id>:snapshots, as the file they export to:
 *   {"format": "refbook-snapshots", "version": 1, "model": "<model id>",
 *    "snapshots": [{"id", "name", "date": "YYYY-MM-DD", "saved": ISO time,
 *                   "file": <an answer file, format refbook-survey>}]}
 *
 * Provides lib.part("history") (list, find, render); API: saveSnapshot,
 * snapshots, deleteSnapshot, exportSnapshots, importSnapshots, trend.
 *
 * Loads after: survey-data.js scoring.js survey-base.js survey-store.js survey-csv.js survey-io.js survey-compare.js
 */
(function () {
  "use strict";

  var own = Object.prototype.hasOwnProperty;
  var S = own.call(window, "refbookSurvey") ? window.refbookSurvey : null;
  var lib = S && own.call(S, "lib") ? S.lib : null;
  if (!lib) {
    if (window.console) console.error("refbook: load assets/survey-base.js before assets/survey-history.js; the history is off.");
    return;
  }
  var C = lib.need("store", "survey-history.js");
  var io = C && lib.need("io", "survey-history.js");
  if (!C || !io) { lib.provide("history", null); return; }
  var $ = lib.$, el = lib.el, svg = lib.svg, clearEl = lib.clearEl, plural = lib.plural, isObj = lib.isObj;
  var areas = C.areas, levels = C.levels, MODEL = C.MODEL, KEY = "refbook:" + MODEL + ":snapshots";
  var FORMAT = "refbook-snapshots", DATE = /^\d{4}-\d{2}-\d{2}$/;
  var maxLevel = levels.length ? levels[levels.length - 1].level : 0;

  /* ---------- storage ---------- */

  var snaps = [];
  var memory = false;
  function today() { return new Date().toISOString().slice(0, 10); }
  function valid(s) {
    return isObj(s) && typeof s.id === "string" && typeof s.name === "string" && typeof s.date === "string" &&
      DATE.test(s.date) && isObj(s.file) && !io.read(JSON.stringify(s.file)).errors.length;
  }
  function load() {
    var ls = C.storage();
    if (!ls) { memory = true; return []; }
    var raw = null;
    try { raw = ls.getItem(KEY); } catch (e) { memory = true; return []; }
    if (raw === null) return [];
    try {
      var d = JSON.parse(raw);
      if (!isObj(d) || !Array.isArray(d.snapshots)) throw new Error("no snapshots array");
      return d.snapshots.filter(valid);
    } catch (e) {
      try { ls.setItem(KEY + ":unreadable:" + Date.now(), raw); } catch (e2) { /* full */ }
      C.say("error", "The snapshots saved in this browser could not be read (" + e.message + "); they were kept under " + KEY + ":unreadable:….");
      return [];
    }
  }
  function fileObject() { return { format: FORMAT, version: 1, model: MODEL, snapshots: sorted() }; }
  function save() {
    if (memory) return;
    try { if (snaps.length) C.storage().setItem(KEY, JSON.stringify(fileObject())); else C.storage().removeItem(KEY); }
    catch (e) { memory = true; C.say("error", "This browser refuses to save the snapshots (" + e.name + "); export them before leaving the page."); }
  }
  /** By date, then in the order they were saved. */
  function sorted() {
    return snaps.map(function (s, i) { return [s, i]; }).sort(function (a, b) {
      return a[0].date < b[0].date ? -1 : a[0].date > b[0].date ? 1 : a[1] - b[1];
    }).map(function (x) { return x[0]; });
  }
  function newId() { return "s" + Date.now().toString(36) + Math.random().toString(36).slice(2, 7); }
  function find(id) { for (var i = 0; i < snaps.length; i++) if (snaps[i].id === id) return snaps[i]; return null; }

  function saveSnapshot(name, date) {
    date = DATE.test(date || "") ? date : today();
    var s = { id: newId(), name: String(name || "").trim() || "Snapshot " + date, date: date, saved: new Date().toISOString(), file: io.object() };
    snaps.push(s);
    save();
    C.redraw({ print: false });
    return s.id;
  }
  function deleteSnapshot(id) {
    snaps = snaps.filter(function (s) { return s.id !== id; });
    save();
    C.redraw({ print: false });
  }
  /** A snapshots file (merged: ids already here are skipped) or one answer
   *  file (a new snapshot, dated by its respondent date or `fallbackDate`). */
  function importSnapshots(text, name, fallbackDate) {
    var rep = { ok: false, added: 0, errors: [] };
    var data;
    try { data = JSON.parse(text); } catch (e) { rep.errors.push("The file is not JSON: " + e.message + "."); return rep; }
    if (isObj(data) && data.format === FORMAT) {
      if (data.model !== MODEL) { rep.errors.push("These snapshots are of the model " + JSON.stringify(data.model) + ", not \"" + MODEL + "\"."); return rep; }
      if (!Array.isArray(data.snapshots)) { rep.errors.push("The file has no \"snapshots\" array."); return rep; }
      data.snapshots.forEach(function (s, i) {
        if (!valid(s)) rep.errors.push("Snapshot " + (i + 1) + " is not a named, dated answer file of this model; left out.");
        else if (!find(s.id)) { snaps.push(s); rep.added++; }
      });
    } else {
      var r = io.read(text);
      if (r.errors.length) { rep.errors = r.errors; return rep; }
      var when = isObj(data.respondent) && DATE.test(data.respondent.date || "") ? data.respondent.date :
        DATE.test(fallbackDate || "") ? fallbackDate : today();
      snaps.push({ id: newId(), name: String(name || "Imported").replace(/\.json$/i, ""), date: when, saved: new Date().toISOString(), file: data });
      rep.added = 1;
    }
    rep.ok = rep.added > 0;
    if (rep.added) { save(); C.redraw({ print: false }); }
    return rep;
  }

  /* ---------- trend ---------- */

  function scoresOf(file) {
    var r = io.read(JSON.stringify(file));
    return { answers: r.answers, scope: r.scope, scores: C.scoreAll(r.answers, r.scope) };
  }
  /** Per area, its status and level at each snapshot (by date) and now. */
  function trend() {
    var cols = sorted().map(function (s) { return { id: s.id, name: s.name, date: s.date, scores: scoresOf(s.file).scores }; });
    cols.push({ id: "now", name: "Now", date: today(), scores: C.scoreAll() });
    return cols;
  }
  function cellText(r) { return r.status === "assessed" ? String(r.level) : C.STATUS_TEXT[r.status]; }
  /** A small line of an area's levels over the columns (the table says the same in words). */
  function spark(cols, code) {
    var w = 96, h = 22, n = cols.length;
    var s = svg("svg", { "class": "spark", viewBox: "0 0 " + w + " " + h, width: w, height: h, "aria-hidden": "true", focusable: "false" });
    var pts = [];
    cols.forEach(function (c, i) {
      var r = c.scores[code];
      if (r.status !== "assessed") return;
      var x = n > 1 ? 4 + (i * (w - 8)) / (n - 1) : w / 2, y = h - 4 - (maxLevel ? (r.level / maxLevel) * (h - 8) : 0);
      pts.push(x.toFixed(1) + "," + y.toFixed(1));
      s.appendChild(svg("circle", { "class": "spark-dot", cx: x.toFixed(1), cy: y.toFixed(1), r: 2 }));
    });
    if (pts.length > 1) s.insertBefore(svg("polyline", { "class": "spark-line", points: pts.join(" ") }), s.firstChild);
    return s;
  }
  function head(cols, first) {
    var tr = el("tr", null, el("th", { scope: "col", text: first }));
    cols.forEach(function (c) { tr.appendChild(el("th", { scope: "col" }, c.name, el("br"), el("span", { "class": "muted", text: c.date }))); });
    return el("thead", null, tr);
  }
  function areaTrend(cols) {
    var t = el("table", { "class": "trend trend-areas" });
    t.appendChild(el("caption", { text: "Capability level per area, by date" }));
    var hd = head(cols, "Area");
    hd.firstChild.appendChild(el("th", { scope: "col", text: "Trend" }));
    t.appendChild(hd);
    var tb = el("tbody");
    areas.forEach(function (a) {
      var tr = el("tr", { "data-trend-area": a.code }, el("th", { scope: "row", text: a.code + " " + a.name }));
      cols.forEach(function (c) {
        var r = c.scores[a.code];
        tr.appendChild(el("td", { "class": r.status === "assessed" ? "lvl lvl-" + r.level : "st-" + r.status, "data-level": r.level === null ? "" : String(r.level), text: cellText(r) }));
      });
      tr.appendChild(el("td", null, spark(cols, a.code)));
      tb.appendChild(tr);
    });
    t.appendChild(tb);
    return el("div", { "class": "table-scroll", tabindex: "0" }, t);
  }
  function categoryTrend(cols) {
    var t = el("table", { "class": "trend trend-categories" });
    t.appendChild(el("caption", { text: "Areas per level in each category, by date (levels are counted, never averaged)" }));
    t.appendChild(head(cols, "Category"));
    var tb = el("tbody");
    (C.D.categories || []).forEach(function (cat) {
      var as = areas.filter(function (a) { return a.category === cat.id; });
      if (!as.length) return;
      var tr = el("tr", { "data-trend-category": cat.id }, el("th", { scope: "row", text: cat.name }));
      cols.forEach(function (c) {
        var parts = [];
        levels.forEach(function (l) {
          var n = as.filter(function (a) { return c.scores[a.code].status === "assessed" && c.scores[a.code].level === l.level; }).length;
          if (n) parts.push(n + " at " + l.level);
        });
        var other = as.filter(function (a) { return c.scores[a.code].status !== "assessed"; }).length;
        if (other) parts.push(other + " without a level");
        tr.appendChild(el("td", { text: parts.join(", ") }));
      });
      tb.appendChild(tr);
    });
    t.appendChild(tb);
    return el("div", { "class": "table-scroll", tabindex: "0" }, t);
  }

  /* ---------- the section ---------- */

  function tools() {
    var name = el("input", { type: "text", id: "snapshot-name", placeholder: "e.g. Baseline" });
    var date = el("input", { type: "date", id: "snapshot-date", value: today() });
    var b = el("button", { type: "button", "data-action": "snapshot-save", text: "Save snapshot" });
    b.addEventListener("click", function () { saveSnapshot(name.value, date.value); });
    var imp = el("input", { type: "file", id: "snapshot-import", accept: "application/json,.json", multiple: "multiple" });
    imp.addEventListener("change", function () {
      Array.prototype.forEach.call(imp.files || [], function (f) {
        var r = new FileReader();
        r.onload = function () {
          var d = f.lastModified ? new Date(f.lastModified).toISOString().slice(0, 10) : "";
          var rep = importSnapshots(String(r.result), f.name, d);
          if (rep.errors.length) C.say(rep.ok ? "warning" : "error", f.name + ": " + rep.errors.join(" "));
        };
        r.readAsText(f);
      });
      imp.value = "";
    });
    var ex = el("button", { type: "button", "data-action": "snapshot-export", text: "Export snapshots" });
    ex.addEventListener("click", function () { io.download(io.fileStem() + "-snapshots.json", "application/json", exportSnapshots()); });
    return el("div", { "class": "history-tools no-print" },
      el("p", null, el("label", { "for": "snapshot-name", text: "Snapshot name " }), name, " ",
        el("label", { "for": "snapshot-date", text: "dated " }), date, " ", b),
      el("p", null, el("label", { "for": "snapshot-import", text: "Import past answer files or exported snapshots: " }), imp, " ", snaps.length ? ex : null));
  }
  function list(ordered) {
    var t = el("table", { "class": "snapshots" });
    t.appendChild(el("caption", { text: plural(ordered.length, "snapshot") + ", by date" }));
    t.appendChild(el("thead", null, el("tr", null, el("th", { scope: "col", text: "Date" }), el("th", { scope: "col", text: "Name" }),
      el("th", { scope: "col", text: "Answers" }), el("th", { scope: "col", text: "Changed from the previous" }), el("th", { scope: "col", "class": "no-print", text: "Delete" }))));
    var tb = el("tbody"), cmp = lib.part("compare"), prev = null;
    ordered.forEach(function (s) {
      var cur = scoresOf(s.file), changes = "";
      if (prev && cmp) {
        var d = cmp.diff(prev, cur);
        changes = plural(d.answers.length, "answer") + ", " + plural(d.levels.filter(function (l) { return l.changed; }).length, "level");
      }
      var del = el("button", { type: "button", "data-action": "snapshot-delete", "aria-label": "Delete snapshot " + s.name, text: "Delete" });
      del.addEventListener("click", function () { if (window.confirm("Delete the snapshot \u201C" + s.name + "\u201D?")) deleteSnapshot(s.id); });
      tb.appendChild(el("tr", { "data-snapshot": s.id }, el("td", { text: s.date }), el("td", { text: s.name }),
        el("td", { text: String(Object.keys(cur.answers).length) }), el("td", { text: changes || "\u2013" }), el("td", { "class": "no-print" }, del)));
      prev = cur;
    });
    t.appendChild(tb);
    return el("div", { "class": "table-scroll", tabindex: "0" }, t);
  }

  function render() {
    var box = $("#results-history");
    if (!box) return;
    clearEl(box);
    var sec = el("section", { "class": "results-history", "aria-labelledby": "res-hist-h" },
      el("h2", { id: "res-hist-h", text: "History: snapshots and trend" }), tools());
    var ordered = sorted();
    if (!ordered.length) {
      sec.appendChild(el("p", { "class": "muted", text: "No snapshot yet: save one to follow the levels over time." }));
      box.appendChild(sec);
      return;
    }
    sec.appendChild(list(ordered));
    var cols = trend();
    lib.add(sec, [el("h3", { text: "Trend per area" }), areaTrend(cols), el("h3", { text: "Trend per category" }), categoryTrend(cols)]);
    var cmp = lib.part("compare"), last = ordered[ordered.length - 1];
    if (cmp) {
      var name = "\u201C" + last.name + "\u201D (" + last.date + ")";
      var since = el("section", { "class": "history-since", "aria-labelledby": "res-since-h" },
        el("h3", { id: "res-since-h", text: "Changed since the last snapshot, " + name }));
      since.appendChild(cmp.view(cmp.diff(scoresOf(last.file), { answers: C.answers(), scope: C.scope() }), { from: name, to: "now" }));
      sec.appendChild(since);
    }
    box.appendChild(sec);
  }
  function exportSnapshots() { return JSON.stringify(fileObject(), null, 2) + "\n"; }

  snaps = load();
  // Another tab saved or deleted a snapshot.
  window.addEventListener("storage", function (e) { if (e.key === KEY) { snaps = load(); C.redraw({ print: false }); } });
  C.onRedraw(render);
  lib.provide("history", { list: sorted, find: find, render: render });
  render();
  var cmp = lib.part("compare");
  if (cmp) cmp.render(); // it loaded first: now it can offer the snapshots
  lib.api({
    saveSnapshot: saveSnapshot,
    snapshots: function () { return JSON.parse(JSON.stringify(sorted())); },
    deleteSnapshot: deleteSnapshot,
    exportSnapshots: exportSnapshots,
    importSnapshots: importSnapshots,
    trend: function () {
      return trend().map(function (c) {
        var lv = {};
        areas.forEach(function (a) { lv[a.code] = c.scores[a.code].status === "assessed" ? c.scores[a.code].level : c.scores[a.code].status; });
        return { id: c.id, name: c.name, date: c.date, levels: lv };
      });
    }
  });
})();
