/* refbook survey: saves answers in this browser, scores them live, draws the
 * results, exports and imports them, and prepares pages for print.
 *
 * No dependencies, no inline code (the pages have a strict Content-Security-Policy),
 * works from file:// and from a web server. Everything that comes from storage or
 * from an imported file is data: it reaches the page through textContent and DOM
 * attributes only, never through innerHTML.
 *
 * The scoring rules and their implementation are in scoring.js (the global
 * refbookScoring), which every page that loads this script loads before it.
 */
(function () {
  "use strict";

  /* The data scripts declare refbook$data with var: an own property of window.
   * Elements that content names like a global are on window too, but through
   * its prototype, so only the own property is read, and only a plain object in
   * it (the worksheets have no survey data and must not pick up a DOM node). */
  function siteData(part) {
    var own = Object.prototype.hasOwnProperty;
    var plain = function (v) {
      return v !== null && typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype;
    };
    var all = own.call(window, "refbook$data") ? window.refbook$data : null;
    var v = plain(all) && own.call(all, part) ? all[part] : null;
    return plain(v) ? v : null;
  }

  var D = siteData("survey");
  var doc = document;
  var htmlEl = doc.documentElement;
  var ROOT = htmlEl.getAttribute("data-root") || "";
  var MODEL = (D && D.model) || htmlEl.getAttribute("data-model") || "refbook";
  var KEY = "refbook:" + MODEL + ":answers";
  var FORMAT = "refbook-survey";
  var FORMAT_VERSION = 1;
  var RESPONDENT_FIELDS = ["organization", "scope", "assessor", "date"];
  var STATE_TEXT = {
    "achieved": "achieved", "partial": "partly achieved", "not-achieved": "not achieved",
    "unanswered": "unanswered", "not-assessable": "not assessable"
  };
  var STATE_SYMBOL = {
    "achieved": "\u25CF", "partial": "\u25D0", "not-achieved": "\u25CB",
    "unanswered": "\u00B7", "not-assessable": "\u2013"
  };
  var SVGNS = "http://www.w3.org/2000/svg";

  /* ---------- small helpers ---------- */

  function $(sel, root) { return (root || doc).querySelector(sel); }
  function $$(sel, root) { return Array.prototype.slice.call((root || doc).querySelectorAll(sel)); }
  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function isObj(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  /** A map of answers by question id. Ids come from users and files, and one
   *  named __proto__ would set a plain object's prototype instead of a key (the
   *  answer silently lost); a map without a prototype keeps every id a key. */
  function dict(from) {
    var d = Object.create(null);
    if (from) Object.keys(from).forEach(function (k) { d[k] = from[k]; });
    return d;
  }

  /** el("p", {class: "x"}, "text", child, ...): text always goes in as text. */
  function el(tag, attrs) {
    var e = doc.createElement(tag);
    if (attrs) for (var k in attrs) if (has(attrs, k) && attrs[k] !== undefined && attrs[k] !== null) {
      if (k === "text") e.textContent = attrs[k]; else e.setAttribute(k, attrs[k]);
    }
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }
  function svg(tag, attrs) {
    var e = doc.createElementNS(SVGNS, tag);
    if (attrs) for (var k in attrs) if (has(attrs, k)) {
      if (k === "text") e.textContent = attrs[k]; else e.setAttribute(k, String(attrs[k]));
    }
    for (var i = 2; i < arguments.length; i++) add(e, arguments[i]);
    return e;
  }
  function add(parent, c) {
    if (c === null || c === undefined || c === false) return;
    if (Array.isArray(c)) { c.forEach(function (x) { add(parent, x); }); return; }
    parent.appendChild(typeof c === "object" ? c : doc.createTextNode(String(c)));
  }
  function clearEl(e) { while (e.firstChild) e.removeChild(e.firstChild); }

  /** slug(id) as in the format contract: EF-1.1 -> ef-1-1. */
  function slug(id) {
    return String(id).toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-+|-+$/g, "");
  }
  function pct(n, d) { return d ? Math.round((100 * n) / d) + "%" : "\u2013"; }
  function plural(n, one, many) { return n + " " + (n === 1 ? one : (many || one + "s")); }

  /* ---------- print buttons (every page that loads this script) ---------- */

  // [data-print] buttons are refbook.js's; the survey and results pages'
  // [data-action=print] buttons are handled here.
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
    var parts = $$("[data-worksheet], section.survey-area[data-survey-area]");
    if (!parts.length) return;
    var title = (D && D.title) || ($(".brand") ? $(".brand").textContent : "");
    var what = parts[0].hasAttribute("data-worksheet") ? "Survey worksheet" : "Survey";
    var org = respondentValue("organization");
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
    try {
      if (!headerSheet) {
        headerSheet = new CSSStyleSheet();
        doc.adoptedStyleSheets = doc.adoptedStyleSheets.concat([headerSheet]);
      }
      headerSheet.replaceSync(rules.join("\n"));
    } catch (err) { /* old browser: the in-page header is enough */ }
  }

  if (!D) { printHeaders(); return; } // worksheets: blank paper forms, no answers
  // A theme's own page may still load survey.js alone: say why nothing scores.
  if (!window.refbookScoring) {
    if (window.console) console.error("refbook: load assets/scoring.js before assets/survey.js; the survey is off.");
    printHeaders();
    return;
  }
  var scoring = window.refbookScoring.prepare(D);

  /* ---------- the model, indexed ---------- */

  var P = D.performed_at;
  var scale = D.scale || [];
  var scaleLabel = {};
  scale.forEach(function (s) { scaleLabel[String(s.value)] = s.label; });
  var NA_LABEL = "Not applicable";
  var levels = (D.levels || []).slice().sort(function (a, b) { return a.level - b.level; });
  var specific = {};
  (D.specific_goals || []).forEach(function (g) { specific[g] = true; });
  var maxLevel = levels.length ? levels[levels.length - 1].level : 0;
  var levelName = {};
  levels.forEach(function (l) { levelName[l.level] = l.name; });

  var questions = {};            // id -> {id, title, area, objective?, goal?}
  var areas = D.areas.map(function (a) {
    var area = {
      code: a.code, name: a.name, category: a.category, url: a.url,
      objectives: a.objectives || [], goals: a.goals || [], practiceIds: [], genericIds: []
    };
    area.objectives.forEach(function (o) {
      o.practices.forEach(function (p) {
        questions[p.id] = { id: p.id, title: p.title, area: area, objective: o.id, kind: "practice" };
        area.practiceIds.push(p.id);
      });
    });
    area.goals.forEach(function (g) {
      (g.questions || []).forEach(function (q) {
        questions[q.id] = { id: q.id, title: q.title, area: area, goal: g.id, kind: "generic" };
        area.genericIds.push(q.id);
      });
    });
    return area;
  });
  var areaByCode = {};
  areas.forEach(function (a) { areaByCode[a.code] = a; });
  var questionOrder = [];
  areas.forEach(function (a) { questionOrder = questionOrder.concat(a.practiceIds, a.genericIds); });

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

  function validValue(v) {
    if (v === "na") return !!D.not_applicable;
    return typeof v === "number" && has(scaleLabel, String(v));
  }
  function valueLabel(v) {
    if (v === "na") return NA_LABEL;
    if (v === undefined || v === null) return "";
    return has(scaleLabel, String(v)) ? scaleLabel[String(v)] : "not on the scale";
  }

  /* ---------- storage ---------- */

  var memoryOnly = false;
  var store = emptyStore();

  function emptyStore() {
    return { format: FORMAT, version: FORMAT_VERSION, model: MODEL, model_version: D.model_version,
      respondent: {}, answers: dict() };
  }
  function storage() {
    try { return window.localStorage; } catch (e) { return null; }
  }
  function load() {
    var ls = storage();
    var raw = null;
    if (!ls) { memoryOnly = true; return emptyStore(); }
    try { raw = ls.getItem(KEY); } catch (e) { memoryOnly = true; return emptyStore(); }
    if (raw === null) return emptyStore();
    try {
      var s = JSON.parse(raw);
      if (!isObj(s) || !isObj(s.answers)) throw new Error("no answers object");
      var out = emptyStore();
      out.answers = dict(s.answers);
      out.respondent = isObj(s.respondent) ? s.respondent : {};
      out.updated = s.updated;
      return out;
    } catch (e) {
      // Never drop what we cannot read: keep the raw text under another key.
      try { ls.setItem(KEY + ":unreadable:" + Date.now(), raw); } catch (e2) { /* full */ }
      pendingMessages.push(["error", "The answers saved in this browser could not be read (" + e.message +
        "). They were kept under the key " + KEY + ":unreadable:… and the survey starts empty."]);
      return emptyStore();
    }
  }
  function save() {
    store.updated = new Date().toISOString();
    store.model_version = D.model_version;
    if (memoryOnly) return;
    try { storage().setItem(KEY, JSON.stringify(store)); }
    catch (e) {
      memoryOnly = true;
      say("error", "This browser refuses to save the answers (" + e.name + "). Export them before leaving the page.");
    }
  }

  function entry(id) { return has(store.answers, id) ? store.answers[id] : null; }
  /** The value that counts for scoring: a valid scale value, "na", or undefined. */
  function valueOf(answers, id) { return scoring.value(answers, id); }
  function setAnswer(id, value, note) {
    var e = isObj(entry(id)) ? entry(id) : {};
    if (value !== undefined) { if (value === null) delete e.value; else e.value = value; }
    if (note !== undefined) { if (note === "") delete e.note; else e.note = note; }
    if (e.value === undefined && (e.note === undefined || e.note === "")) delete store.answers[id];
    else store.answers[id] = e;
    save();
  }
  function respondentValue(k) {
    return store && isObj(store.respondent) && typeof store.respondent[k] === "string" ? store.respondent[k] : "";
  }
  function answerCount() { return Object.keys(store.answers).length; }

  /** Saved entries the page cannot use: ids the model no longer has, values off the scale. */
  function orphans() {
    var out = [];
    Object.keys(store.answers).forEach(function (id) {
      var e = store.answers[id];
      if (!has(questions, id)) out.push({ id: id, entry: e, why: "not in this model" });
      else if (isObj(e) && e.value !== undefined && e.value !== null && !validValue(e.value))
        out.push({ id: id, entry: e, why: "value not on this model's scale" });
    });
    return out;
  }

  /* ---------- scoring (scoring.js) ---------- */

  /** Every area, keyed by code: objective and goal states, level, counts. */
  function scoreAll(answers) { return scoring.score(answers || store.answers); }

  /* ---------- showing states in the page ---------- */

  function showState(node, state) {
    node.setAttribute("data-state", state);
    clearEl(node);
    add(node, [el("span", { "aria-hidden": "true", "class": "sym", text: STATE_SYMBOL[state] + " " }), STATE_TEXT[state]]);
  }
  function levelText(a, r) {
    if (!a.objectives.length) return "not assessable: no objectives";
    return "level " + r.level + (levelName[r.level] ? " \u00B7 " + levelName[r.level] : "");
  }

  function refresh() {
    var scores = scoreAll();
    $$("[data-objective]").forEach(function (n) {
      var id = n.getAttribute("data-objective");
      for (var i = 0; i < areas.length; i++) {
        var r = scores[areas[i].code].objectives[id];
        if (r) { showState(n, r.state); return; }
      }
    });
    $$("[data-goal]").forEach(function (n) {
      var parts = n.getAttribute("data-goal").split(":");
      var r = scores[parts[0]];
      if (r && r.goals[parts[1]]) showState(n, r.goals[parts[1]].state);
    });
    $$("strong[data-area], [data-area][data-level]").forEach(function (n) {
      var a = areaByCode[n.getAttribute("data-area")];
      if (!a) return;
      var r = scores[a.code];
      n.setAttribute("data-level", String(r.level));
      n.setAttribute("data-assessable", r.assessable ? "true" : "false");
      if (n.tagName === "STRONG") n.textContent = levelText(a, r);
    });
    $$("[data-progress]").forEach(function (n) {
      var r = scores[n.getAttribute("data-progress")];
      if (!r) return;
      n.textContent = r.answered + "/" + r.total + " answered";
      n.classList.toggle("complete", r.answered === r.total);
    });
    var prog = $("#survey-progress");
    if (prog) {
      var answered = 0, total = 0, complete = 0;
      areas.forEach(function (a) {
        answered += scores[a.code].answered; total += scores[a.code].total;
        if (scores[a.code].answered === scores[a.code].total) complete++;
      });
      prog.textContent = answered + " of " + total + " questions answered; " + complete + " of " +
        plural(areas.length, "area") + " complete." +
        (memoryOnly ? " Not saved: this browser does not allow storage here; export before leaving." :
          store.updated ? " Saved in this browser." : "");
    }
    showOrphans();
    return scores;
  }

  /* ---------- binding the questions ---------- */

  var fieldsets = $$("fieldset[data-question]");

  function radioValue(v) {
    if (v === "na") return "na";
    for (var i = 0; i < scale.length; i++) if (String(scale[i].value) === v) return scale[i].value;
    return undefined;
  }
  function applyToPage() {
    fieldsets.forEach(function (fs) {
      var id = fs.getAttribute("data-question");
      var e = entry(id);
      var v = isObj(e) && e.value !== undefined && e.value !== null ? String(e.value) : null;
      $$("input[type=radio]", fs).forEach(function (r) { r.checked = v !== null && r.value === v; });
      var note = isObj(e) && typeof e.note === "string" ? e.note : "";
      var ta = $("textarea", fs);
      if (ta && ta.value !== note) ta.value = note;
      mirrorNote(fs, note);
      fs.classList.toggle("answered", valueOf(store.answers, id) !== undefined);
      var clear = $(".clear-answer", fs);
      if (clear) clear.hidden = v === null;
    });
    $$("[data-respondent]").forEach(function (inp) {
      var v = respondentValue(inp.getAttribute("data-respondent"));
      if (inp.value !== v) inp.value = v;
      inp.classList.toggle("is-empty", v === "");
    });
  }
  /** Notes print as text (a textarea would cut them off); blank ones print as lines. */
  function mirrorNote(fs, note) {
    var m = $(".note-print", fs);
    if (!m) {
      m = el("div", { "class": "note-print", "aria-hidden": "true" });
      var label = $(".note", fs);
      (label || fs).appendChild(m);
    }
    m.textContent = note;
    fs.classList.toggle("has-note", note !== "");
  }

  fieldsets.forEach(function (fs) {
    var id = fs.getAttribute("data-question");
    var scaleDiv = $(".scale", fs);
    if (scaleDiv) {
      var b = el("button", { type: "button", "class": "clear-answer no-print", "aria-label": "Clear answer to " + id, text: "Clear answer" });
      b.hidden = true;
      scaleDiv.appendChild(b);
    }
  });

  doc.addEventListener("change", function (e) {
    var t = e.target;
    var fs = t.closest && t.closest("fieldset[data-question]");
    if (fs && t.type === "radio") {
      var v = radioValue(t.value);
      if (v === undefined) return;
      setAnswer(fs.getAttribute("data-question"), v, undefined);
      applyOne(fs);
      refresh();
    }
  });
  doc.addEventListener("input", function (e) {
    var t = e.target;
    if (t.matches && t.matches("[data-respondent]")) {
      if (!isObj(store.respondent)) store.respondent = {};
      var k = t.getAttribute("data-respondent");
      if (t.value === "") delete store.respondent[k]; else store.respondent[k] = t.value;
      t.classList.toggle("is-empty", t.value === "");
      save();
      if (k === "organization") printHeaders();
      return;
    }
    var fs = t.closest && t.closest("fieldset[data-question]");
    if (fs && t.tagName === "TEXTAREA") {
      setAnswer(fs.getAttribute("data-question"), undefined, t.value);
      mirrorNote(fs, t.value);
    }
  });
  doc.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest(".clear-answer");
    if (!b) return;
    var fs = b.closest("fieldset[data-question]");
    setAnswer(fs.getAttribute("data-question"), null, undefined);
    applyOne(fs);
    refresh();
    var first = $("input[type=radio]", fs);
    if (first) first.focus();
  });
  function applyOne(fs) {
    var id = fs.getAttribute("data-question");
    fs.classList.toggle("answered", valueOf(store.answers, id) !== undefined);
    var e = entry(id);
    var clear = $(".clear-answer", fs);
    if (clear) clear.hidden = !(isObj(e) && e.value !== undefined);
    if (!(isObj(e) && e.value !== undefined)) $$("input[type=radio]", fs).forEach(function (r) { r.checked = false; });
  }

  // Another tab changed the answers: show them here too.
  window.addEventListener("storage", function (e) {
    if (e.key !== KEY) return;
    store = load();
    applyToPage();
    refresh();
    renderResults();
  });

  /* ---------- messages and orphans ---------- */

  var pendingMessages = [];
  /** The survey page has a place for messages; an area page gets one in its
   *  survey when it first has something to say. */
  function messageBox() {
    var box = $("#survey-messages");
    var sec = box ? null : $("section.survey[data-survey-area]");
    if (sec) {
      box = el("div", { id: "survey-messages", "class": "no-print", role: "status", "aria-live": "polite" });
      var intro = $("h2", sec);
      sec.insertBefore(box, intro ? intro.nextSibling : sec.firstChild);
    }
    return box;
  }
  function dismissible(m) {
    var close = el("button", { type: "button", "class": "msg-close no-print", text: "Dismiss" });
    close.addEventListener("click", function () { m.remove(); });
    m.appendChild(close);
    return m;
  }
  function say(kind, text, items) {
    var box = messageBox();
    if (!box) { if (kind === "error" && window.console) console.warn(text); return; }
    var m = el("div", { "class": "msg msg-" + kind, role: kind === "error" ? "alert" : null });
    add(m, el("p", { text: text }));
    if (items && items.length) {
      var ul = el("ul");
      items.slice(0, 50).forEach(function (i) { ul.appendChild(el("li", { text: i })); });
      if (items.length > 50) ul.appendChild(el("li", { text: "… and " + (items.length - 50) + " more" }));
      m.appendChild(ul);
    }
    box.insertBefore(dismissible(m), box.firstChild);
  }

  function showOrphans() {
    var box = $("#orphans");
    if (!box) return;
    var list = orphans();
    clearEl(box);
    box.hidden = list.length === 0;
    if (!list.length) return;
    box.appendChild(el("h2", { id: "orphans-h", text: "Saved answers this model does not use (" + list.length + ")" }));
    box.appendChild(el("p", { text: "These answers were given to questions that this version of the model does not ask, " +
      "or hold a value that is not on its scale. They are kept, exported with the others, and count for nothing." }));
    var t = el("table", { "class": "orphans" });
    t.appendChild(el("thead", null, el("tr", null, el("th", { scope: "col", text: "Id" }), el("th", { scope: "col", text: "Answer" }),
      el("th", { scope: "col", text: "Note" }), el("th", { scope: "col", text: "Why" }))));
    var tb = el("tbody");
    list.forEach(function (o) {
      var e = isObj(o.entry) ? o.entry : {};
      var v = e.value === undefined || e.value === null ? "" : String(e.value);
      var lab = valueLabel(e.value);
      tb.appendChild(el("tr", null, el("td", { "class": "id", text: o.id }),
        el("td", { text: v + (lab && lab !== v ? " (" + lab + ")" : "") }),
        el("td", { text: typeof e.note === "string" ? e.note : "" }), el("td", { text: o.why })));
    });
    t.appendChild(tb);
    box.appendChild(t);
    var drop = el("button", { type: "button", "class": "danger", text: "Discard these " + plural(list.length, "answer") });
    drop.addEventListener("click", function () {
      if (!window.confirm("Discard " + plural(list.length, "saved answer") + " that this model does not use? This cannot be undone; export first to keep them.")) return;
      list.forEach(function (o) { delete store.answers[o.id]; });
      save();
      refresh();
      say("info", "Discarded " + plural(list.length, "unused answer") + ".");
    });
    box.appendChild(el("p", { "class": "no-print" }, drop));
  }

  /* ---------- export ---------- */

  function exportObject() {
    var answers = dict();
    var ids = questionOrder.concat(Object.keys(store.answers).filter(function (id) { return !has(questions, id); }).sort());
    ids.forEach(function (id) {
      var e = entry(id);
      if (!isObj(e)) return;
      var o = {};
      if (e.value !== undefined && e.value !== null) o.value = e.value;
      if (typeof e.note === "string" && e.note !== "") o.note = e.note;
      if (has(o, "value") || has(o, "note")) answers[id] = o;
    });
    var out = { format: FORMAT, version: FORMAT_VERSION, model: MODEL, model_version: D.model_version, answers: answers };
    var resp = {};
    RESPONDENT_FIELDS.forEach(function (k) { if (respondentValue(k)) resp[k] = respondentValue(k); });
    out.respondent = resp; // extension of the format: who answered, for what
    return out;
  }
  function exportJSON() { return JSON.stringify(exportObject(), null, 2) + "\n"; }

  /** RFC 4180: fields with a comma, quote, CR or LF are quoted, quotes doubled, CRLF rows.
   *  Text that a spreadsheet would run as a formula (it starts with =, +, -, @, tab
   *  or CR: OWASP's CSV injection) gets a leading ' so that it opens as text; every
   *  text cell may come from a user, an imported file or the content. Only numbers
   *  (scale values the tool writes) stay as they are, even negative ones. */
  function csvField(s) {
    if (typeof s === "number" && isFinite(s)) return String(s);
    s = s === undefined || s === null ? "" : String(s);
    if (/^[=+\-@\t\r]/.test(s)) s = "'" + s;
    return /[",\r\n]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
  }
  function exportCSV() {
    var rows = [["area", "id", "title", "answer", "label", "note"]];
    function row(area, id, title) {
      var e = isObj(entry(id)) ? entry(id) : {};
      var v = e.value === undefined || e.value === null ? "" : e.value;
      rows.push([area, id, title, v, v === "" ? "" : valueLabel(e.value), typeof e.note === "string" ? e.note : ""]);
    }
    questionOrder.forEach(function (id) { row(questions[id].area.code, id, questions[id].title); });
    Object.keys(store.answers).filter(function (id) { return !has(questions, id); }).sort()
      .forEach(function (id) { row("", id, "(not in this model)"); });
    return rows.map(function (r) { return r.map(csvField).join(","); }).join("\r\n") + "\r\n";
  }
  function fileStem() {
    var org = respondentValue("organization").toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 40);
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
    opts = opts || {};
    var ask = opts.confirm || function (m) { return window.confirm(m); };
    var rep = readSurveyFile(text);
    var answers = rep.answers, respondent = rep.respondent;
    delete rep.answers; delete rep.respondent;
    if (rep.errors.length) {
      // Not enumerable: the report goes back to scripts as JSON, the answers need not.
      if (rep.otherModel !== undefined) Object.defineProperty(rep, "from", { value: {
        model: rep.otherModel, total: rep.total, answers: answers, respondent: respondent, problems: rep.problems,
        file: "file" + (opts.name ? " " + opts.name : "") } });
      return rep;
    }
    var existing = answerCount();
    if (existing > 0 && !ask("Importing replaces the " + plural(existing, "answer") + " saved in this browser with the " +
        plural(Object.keys(answers).length, "answer") + " of the file. Continue?")) {
      rep.errors.push("Import cancelled: the saved answers were left as they were.");
      rep.cancelled = true;
      return rep;
    }
    store.answers = answers;
    store.respondent = respondent;
    save();
    rep.ok = true;
    rep.imported = Object.keys(answers).length;
    applyToPage();
    refresh();
    renderResults();
    printHeaders();
    return rep;
  }

  /** Validates an exported file; rep.errors non-empty means it must be refused. */
  function readSurveyFile(text) {
    var rep = { ok: false, imported: 0, errors: [], problems: [], unknown: [], warnings: [] };
    var data;
    try { data = JSON.parse(text); }
    catch (e) { rep.errors.push("The file is not JSON: " + e.message + "."); return rep; }
    if (!isObj(data) || data.format !== FORMAT) {
      rep.errors.push("This is not a refbook survey file: its \"format\" is " +
        (isObj(data) && has(data, "format") ? JSON.stringify(data.format) : "missing") + ", expected \"" + FORMAT + "\".");
      return rep;
    }
    if (data.version !== FORMAT_VERSION) {
      rep.errors.push("This file is in version " + JSON.stringify(data.version) + " of the survey format; this site reads version " + FORMAT_VERSION + ".");
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
    if (!foreign && data.model_version !== undefined && data.model_version !== D.model_version)
      rep.warnings.push("The answers were given to version " + JSON.stringify(data.model_version) + " of the model; this site shows version " +
        JSON.stringify(D.model_version) + ".");
    rep.total = Object.keys(data.answers).length;
    rep.answers = readAnswers(data.answers, rep);
    if (foreign) rep.matching = Object.keys(rep.answers).filter(function (id) { return has(questions, id); }).length;
    rep.respondent = readRespondent(data.respondent);
    return rep;
  }
  /** The usable entries of a saved or imported answers object; what cannot be
   *  used goes to rep.problems, ids this model does not ask to rep.unknown. */
  function readAnswers(raw, rep) {
    var answers = dict();
    Object.keys(raw).forEach(function (id) {
      var e = raw[id];
      if (!isObj(e)) { rep.problems.push(id + ": the entry is not an object; left out."); return; }
      var o = {};
      if (e.value !== undefined && e.value !== null) {
        if (validValue(e.value)) o.value = e.value;
        else rep.problems.push(id + ": the value " + JSON.stringify(e.value) + " is not on the scale (" +
          scale.map(function (s) { return s.value; }).concat(D.not_applicable ? ["\"na\""] : []).join(", ") + "); that answer was left out" +
          (typeof e.note === "string" && e.note ? ", its note kept." : "."));
      }
      if (e.note !== undefined && e.note !== null) {
        if (typeof e.note === "string") { if (e.note !== "") o.note = e.note; }
        else rep.problems.push(id + ": the note is not text; left out.");
      }
      if (!has(o, "value") && !has(o, "note")) return;
      if (!has(questions, id)) rep.unknown.push(id);
      answers[id] = o;
    });
    return answers;
  }
  function readRespondent(raw) {
    var respondent = {};
    if (isObj(raw)) RESPONDENT_FIELDS.forEach(function (k) {
      if (typeof raw[k] === "string" && raw[k] !== "") respondent[k] = raw[k];
    });
    return respondent;
  }
  function reportImport(rep, name) {
    if (!rep.ok) {
      say("error", (name ? name + ": " : "") + rep.errors.join(" "));
      if (rep.from) offerAnswers(rep.from);
      return;
    }
    say("info", "Imported " + plural(rep.imported, "answer") + (name ? " from " + name : "") + ".", rep.warnings);
    if (rep.problems.length) say("warning", plural(rep.problems.length, "entry", "entries") + " of the file could not be used:", rep.problems);
    if (rep.unknown.length) say("warning", plural(rep.unknown.length, "answer") + " name questions this model does not have; they are kept and listed under “Saved answers this model does not use”:", rep.unknown);
  }

  /* ---------- answers of another model id ---------- */

  /** Answers this tool saved in this browser under other model ids: this model
   *  before its id changed, or another book (every page opened from file://
   *  shares one storage). Unreadable entries are left to their own pages. */
  function savedElsewhere() {
    var ls = memoryOnly ? null : storage(), keys = [], out = [];
    if (!ls) return out;
    try { for (var i = 0; i < ls.length; i++) keys.push(ls.key(i)); } catch (e) { return out; }
    keys.sort().forEach(function (k) {
      var m = /^refbook:(.*):answers$/.exec(k);
      if (!m || k === KEY) return;
      try {
        var s = JSON.parse(ls.getItem(k));
        if (!isObj(s) || !isObj(s.answers) || !Object.keys(s.answers).length) return;
        var rep = { problems: [], unknown: [] };
        out.push({ model: m[1], total: Object.keys(s.answers).length, answers: readAnswers(s.answers, rep),
          respondent: readRespondent(s.respondent), problems: rep.problems });
      } catch (e) { /* not ours to read */ }
    });
    return out;
  }

  /** A notice naming the other model and its answers, with a button to bring
   *  over those that answer questions of this model. All of it is text. */
  function offerAnswers(from) {
    var box = messageBox();
    if (!box) return;
    var here = Object.keys(from.answers).filter(function (id) { return has(questions, id); });
    var m = el("div", { "class": "msg msg-info msg-migrate", "data-model": from.model });
    m.appendChild(el("p", { text: (from.file ? "The " + from.file : "This browser") + " holds " + plural(from.total, "answer") +
      " saved under the model id \u201C" + from.model + "\u201D; this site is the model \u201C" + MODEL + "\u201D" +
      (from.file ? "." : ", and has no answers saved here yet.") + " " +
      (here.length === 0 ? "None of them answers a question of this model." :
        here.length === from.total ? (from.total === 1 ? "It answers a question" : "All of them answer questions") + " of this model." :
        plural(here.length, "of them answers", "of them answer") + " questions of this model; the others would be left where they are.") }));
    if (here.length) {
      var b = el("button", { type: "button", "class": "bring-over", text: "Bring over " + plural(here.length, "answer") });
      b.addEventListener("click", function () { if (bringOver(from).ok) m.remove(); });
      m.appendChild(el("p", { "class": "no-print" }, b));
    }
    box.insertBefore(dismissible(m), box.firstChild);
  }

  /** Replaces this model's answers (asking first if there are any) with those of
   *  `from` that answer its questions, and reports the ones it left. */
  function bringOver(from, ask) {
    ask = ask || function (t) { return window.confirm(t); };
    var answers = dict(), left = [];
    Object.keys(from.answers).forEach(function (id) {
      if (has(questions, id)) answers[id] = from.answers[id]; else left.push(id);
    });
    var n = Object.keys(answers).length, existing = answerCount();
    if (existing > 0 && !ask("Bringing over replaces the " + plural(existing, "answer") + " saved in this browser for the model " +
        MODEL + " with " + plural(n, "answer") + " of the model " + from.model + ". Continue?")) return { ok: false, cancelled: true };
    store.answers = answers;
    if (!isObj(store.respondent)) store.respondent = {};
    RESPONDENT_FIELDS.forEach(function (k) { // details already given here win
      if (!respondentValue(k) && has(from.respondent, k)) store.respondent[k] = from.respondent[k];
    });
    save();
    applyToPage();
    refresh();
    renderResults();
    printHeaders();
    var src = " of the model \u201C" + from.model + "\u201D";
    say("info", "Brought over " + plural(n, "answer") + src + (from.file ? " from the " + from.file + "." :
      "; they also stay saved under that model id."));
    if (from.problems.length) say("warning", plural(from.problems.length, "entry", "entries") + src + " could not be used:", from.problems);
    if (left.length) say("warning", plural(left.length, "answer") + src + " name questions this model does not have, and were not brought over:", left);
    return { ok: true, imported: n, left: left };
  }

  function clearAll(ask) {
    ask = ask || function (m) { return window.confirm(m); };
    var n = answerCount();
    if (!ask("Clear all " + plural(n, "answer") + " and the assessment details saved in this browser for the model " + MODEL +
        "? This cannot be undone; export them first if you may need them.")) return false;
    store = emptyStore();
    if (!memoryOnly) try { storage().removeItem(KEY); } catch (e) { /* ignore */ }
    applyToPage();
    refresh();
    renderResults();
    return true;
  }

  /* ---------- toolbar ---------- */

  doc.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button[data-action]");
    if (!b) return;
    var act = b.getAttribute("data-action");
    if (act === "export-json") download(fileStem() + ".json", "application/json", exportJSON());
    else if (act === "export-csv") download(fileStem() + ".csv", "text/csv;charset=utf-8", "\uFEFF" + exportCSV());
    else if (act === "clear") { if (clearAll()) say("info", "All answers were cleared."); }
    else if (act === "next-unanswered") nextUnanswered();
  });
  $$("input[type=file][data-action='import']").forEach(function (inp) {
    inp.addEventListener("change", function () {
      var f = inp.files && inp.files[0];
      if (!f) return;
      var r = new FileReader();
      r.onload = function () { reportImport(importJSON(String(r.result), { name: f.name }), f.name); inp.value = ""; };
      r.onerror = function () { say("error", f.name + ": the file could not be read."); inp.value = ""; };
      r.readAsText(f);
    });
  });
  function nextUnanswered() {
    var start = 0;
    var cur = doc.activeElement && doc.activeElement.closest && doc.activeElement.closest("fieldset[data-question]");
    if (cur) start = fieldsets.indexOf(cur) + 1;
    for (var i = 0; i < fieldsets.length; i++) {
      var fs = fieldsets[(start + i) % fieldsets.length];
      if (valueOf(store.answers, fs.getAttribute("data-question")) === undefined) {
        fs.scrollIntoView({ block: "start" });
        var r = $("input[type=radio]", fs);
        if (r) r.focus({ preventScroll: true });
        return fs.getAttribute("data-question");
      }
    }
    say("info", "Every question on this page is answered.");
    return null;
  }

  /* ---------- results page ---------- */

  function answerText(id) {
    var v = valueOf(store.answers, id);
    return v === undefined ? "unanswered" : valueLabel(v).toLowerCase();
  }
  function questionLink(id) {
    return ROOT + "survey/index.html#q-" + slug(id);
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
      return a.code + ": " + levelText(a, scores[a.code]); }).join("; ") }));
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
      var g = svg("g", { "class": "bar-row", "data-area": a.code, "data-level": r.level });
      g.appendChild(svg("title", { text: a.code + " " + a.name + ": " + levelText(a, r) }));
      g.appendChild(svg("text", { "class": "label", x: 14, y: y + rowH - 7, text: a.code + "  " + (a.name.length > 30 ? a.name.slice(0, 29) + "\u2026" : a.name) }));
      if (!r.assessable) {
        g.appendChild(svg("text", { "class": "value muted", x: left + 4, y: y + rowH - 7, text: "not assessable: no objectives" }));
      } else {
        var w = Math.max(x(r.level) - left, 2);
        g.appendChild(svg("rect", { "class": "bar bar-level-" + r.level, x: left, y: y + 4, width: w, height: rowH - 8 }));
        g.appendChild(svg("text", { "class": "value", x: left + w + 5, y: y + rowH - 7,
          text: r.level + (levelName[r.level] ? " " + levelName[r.level] : "") }));
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
    hr.appendChild(el("th", { scope: "col", text: "Not assessable" }));
    hr.appendChild(el("th", { scope: "col", text: "Practices performed" }));
    hr.appendChild(el("th", { scope: "col", text: "Generic practices performed" }));
    t.appendChild(el("thead", null, hr));
    function line(label, as, isTotal) {
      var tr = el("tr", { "class": isTotal ? "total" : null }, el("th", { scope: "row", text: label }), el("td", { text: String(as.length) }));
      levels.forEach(function (l) {
        var n = as.filter(function (a) { return scores[a.code].assessable && scores[a.code].level === l.level; }).length;
        tr.appendChild(el("td", { "class": n ? "n" : "n zero", text: String(n) }));
      });
      tr.appendChild(el("td", { text: String(as.filter(function (a) { return !scores[a.code].assessable; }).length) }));
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
      return el("td", { "class": "hm hm-" + state, title: id + " " + title + ": " + STATE_TEXT[state] },
        el("span", { "class": "sym", "aria-hidden": "true", text: STATE_SYMBOL[state] }), " ", el("span", { text: id }),
        el("span", { "class": "visually-hidden", text: ": " + STATE_TEXT[state] }));
    }
    areas.forEach(function (a) {
      var r = scores[a.code];
      var tr = el("tr", null, el("th", { scope: "row" }, el("a", { href: ROOT + a.url, text: a.code }), " ", el("span", { "class": "area-name", text: a.name })),
        el("td", { "class": "lvl", "data-area": a.code, "data-level": r.level, text: r.assessable ? String(r.level) : "n/a" }));
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
      ul.appendChild(el("li", null, el("span", { "class": "hm hm-" + s, "aria-hidden": "true", text: STATE_SYMBOL[s] }), " " + STATE_TEXT[s]));
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
        el("span", { "class": "muted", text: " \u2014 " + levelText(a, r) })));
      if (!r.assessable) { sec.appendChild(el("p", { "class": "muted", text: "Not assessable: this area has no objectives, so no capability level can be reached." })); wrap.appendChild(sec); return; }
      var shown = 0;
      levels.forEach(function (l) {
        var items = [];
        (newGoalsAt[l.level] || []).forEach(function (g) {
          var ids = [];
          if (specific[g]) ids = a.practiceIds;
          else a.goals.forEach(function (x) { if (x.id === g) ids = (x.questions || []).map(function (q) { return q.id; }); });
          ids.forEach(function (id) {
            var v = valueOf(store.answers, id);
            if (v === "na" || scoring.performed(v)) return;
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

  /** Side by side: the answers in this browser and those of an exported file. */
  var compared = null; // {name, answers, respondent}
  function comparison(scores) {
    var sec = el("section", { "class": "results-compare", "aria-labelledby": "res-cmp-h" },
      el("h2", { id: "res-cmp-h", text: "Compare with another assessment" }));
    var inp = el("input", { type: "file", accept: "application/json,.json", id: "compare-file" });
    sec.appendChild(el("p", { "class": "no-print" }, el("label", { "for": "compare-file", text: "Exported JSON file to compare with: " }), inp,
      " ", el("span", { "class": "muted", text: "Read only: nothing is imported or saved." })));
    var msg = el("div", { role: "status", "aria-live": "polite", id: "compare-messages" });
    sec.appendChild(msg);
    inp.addEventListener("change", function () {
      var f = inp.files && inp.files[0];
      if (!f) return;
      var r = new FileReader();
      r.onload = function () { compareWith(String(r.result), f.name); };
      r.readAsText(f);
    });
    if (!compared) return sec;
    var other = scoreAll(compared.answers);
    var who = RESPONDENT_FIELDS.map(function (k) { return compared.respondent[k]; }).filter(Boolean).join(" \u00B7 ");
    var t = el("table", { "class": "comparison" });
    t.appendChild(el("caption", { text: "This browser against " + compared.name + (who ? " (" + who + ")" : "") }));
    t.appendChild(el("thead", null, el("tr", null, el("th", { scope: "col", text: "Area" }),
      el("th", { scope: "col", text: "Level here" }), el("th", { scope: "col", text: "Level in file" }),
      el("th", { scope: "col", text: "Practices performed here" }), el("th", { scope: "col", text: "Practices performed in file" }),
      el("th", { scope: "col", text: "Answers that differ" }))));
    var tb = el("tbody");
    areas.forEach(function (a) {
      var h = scores[a.code], o = other[a.code];
      var diff = a.practiceIds.concat(a.genericIds).filter(function (id) {
        return String(valueOf(store.answers, id)) !== String(valueOf(compared.answers, id));
      }).length;
      var lv = function (r) { return r.assessable ? String(r.level) : "n/a"; };
      var mark = h.level > o.level ? " \u25B2" : h.level < o.level ? " \u25BC" : "";
      tb.appendChild(el("tr", { "data-compare-area": a.code }, el("th", { scope: "row", text: a.code + " " + a.name }),
        el("td", { text: lv(h) + mark }), el("td", { text: lv(o) }),
        el("td", { text: h.practices.performed + " of " + h.practices.applicable }),
        el("td", { text: o.practices.performed + " of " + o.practices.applicable }),
        el("td", { text: String(diff) })));
    });
    t.appendChild(tb);
    sec.appendChild(t);
    sec.appendChild(el("p", { "class": "muted", text: "\u25B2 / \u25BC: the level in this browser is higher / lower than in the file." }));
    return sec;
  }
  function compareWith(text, name) {
    var rep = readSurveyFile(text);
    if (rep.errors.length) {
      var box = $("#compare-messages");
      if (box) { clearEl(box); box.appendChild(el("p", { "class": "msg msg-error", text: name + ": " + rep.errors.join(" ") })); }
      return rep;
    }
    compared = { name: name || "the file", answers: rep.answers, respondent: rep.respondent };
    renderResults();
    var m = $("#compare-messages");
    if (m && (rep.problems.length || rep.unknown.length)) m.appendChild(el("p", { "class": "msg msg-warning",
      text: plural(rep.problems.length + rep.unknown.length, "entry", "entries") + " of the file could not be compared (off the scale or unknown ids)." }));
    return { ok: true, warnings: rep.warnings };
  }

  function renderResults() {
    var box = $("#results[data-results]");
    if (!box) return;
    var scores = scoreAll();
    clearEl(box);
    var resp = RESPONDENT_FIELDS.filter(function (k) { return respondentValue(k); })
      .map(function (k) { return k.charAt(0).toUpperCase() + k.slice(1) + ": " + respondentValue(k); });
    var answered = 0, total = 0;
    areas.forEach(function (a) { answered += scores[a.code].answered; total += scores[a.code].total; });
    var sum = el("section", { "class": "results-summary", "aria-labelledby": "res-sum-h" }, el("h2", { id: "res-sum-h", text: "Summary" }));
    if (resp.length) sum.appendChild(el("p", { "class": "respondent-line", text: resp.join(" \u00B7 ") }));
    sum.appendChild(el("p", { text: answered + " of " + total + " questions answered" +
      (store.updated ? "; last change " + new Date(store.updated).toLocaleString() : "") + "." }));
    var orph = orphans().length;
    if (orph) sum.appendChild(el("p", { "class": "warning" }, plural(orph, "saved answer") + " name questions this model does not use; see ",
      el("a", { href: ROOT + "survey/index.html#orphans", text: "the survey page" }), "."));
    if (!answered) sum.appendChild(el("p", null, "No answers yet: ", el("a", { href: ROOT + "survey/index.html", text: "start the survey" }), "."));
    box.appendChild(sum);

    box.appendChild(el("section", { "class": "results-levels", "aria-labelledby": "res-lv-h" },
      el("h2", { id: "res-lv-h", text: "Capability level by area" }), barChart(scores)));
    box.appendChild(el("section", { "class": "results-dist", "aria-labelledby": "res-dist-h" },
      el("h2", { id: "res-dist-h", text: "By category and for the whole model" }),
      el("p", { "class": "muted", text: "How many areas reached each level. Levels are not averaged: an average of levels means nothing. " +
        "Practices performed counts the applicable practices answered at or above \u201C" + (scaleLabel[String(P)] || P) + "\u201D; unanswered ones count as not performed." }),
      distributionTable(scores)));
    box.appendChild(el("section", { "class": "results-heat", "aria-labelledby": "res-heat-h" },
      el("h2", { id: "res-heat-h", text: "Objectives by area" }), legend(), heatMap(scores)));
    box.appendChild(el("section", { "class": "results-gaps", "aria-labelledby": "res-gap-h" },
      el("h2", { id: "res-gap-h", text: "Gaps: practices not performed, by area and level" }), gapList(scores)));
    box.appendChild(comparison(scores));
  }

  /* ---------- start ---------- */

  store = load();
  applyToPage();
  refresh();
  renderResults();
  printHeaders();
  pendingMessages.forEach(function (m) { say(m[0], m[1]); });
  pendingMessages = [];
  // An empty survey may be this model's answers saved under its former id.
  if (fieldsets.length && answerCount() === 0) savedElsewhere().forEach(offerAnswers);

  /** For tests and for people who script assessments. */
  window.refbookSurvey = {
    key: KEY,
    model: MODEL,
    answers: function () { return JSON.parse(JSON.stringify(store.answers)); },
    respondent: function () { return JSON.parse(JSON.stringify(store.respondent)); },
    score: function () { return JSON.parse(JSON.stringify(scoreAll(), function (k, v) { return k === "area" ? undefined : v; })); },
    orphans: function () { return orphans().map(function (o) { return o.id; }); },
    savedElsewhere: function () {
      return savedElsewhere().map(function (o) {
        return { model: o.model, answers: o.total,
          matching: Object.keys(o.answers).filter(function (id) { return has(questions, id); }).length };
      });
    },
    exportJSON: exportJSON,
    exportCSV: exportCSV,
    importJSON: function (text, opts) { var r = importJSON(text, opts); reportImport(r); return r; },
    clear: clearAll,
    compareJSON: function (text, name) { return compareWith(text, name); },
    nextUnanswered: nextUnanswered
  };
})();
