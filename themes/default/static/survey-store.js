/* refbook survey: the saved answers. Keeps the answers and assessment details
 * in this browser's localStorage under refbook:<model id>:answers, indexes the
 * model's questions from the survey data, checks saved entries (answer maps
 * without a prototype), shows messages, offers answers saved under another model
 * id (survey-migrate.js), and redraws the page's other parts when the answers change. Without the
 * survey data (the worksheets) it does nothing.
 *
 * The scoring rules (README, "The survey of practice") and their implementation
 * are in scoring.js (the global refbookScoring), which every page that loads
 * this script loads before it; the form and the results only show what it
 * computes.
 *
 * Provides lib.part("store"); API: key, model, answers, respondent, plan,
 * score, orphans, clear.
 *
 * Loads after: survey-data.js scoring.js survey-base.js
 */
(function () {
  "use strict";

  var own = Object.prototype.hasOwnProperty;
  var S = own.call(window, "refbookSurvey") ? window.refbookSurvey : null;
  var lib = S && own.call(S, "lib") ? S.lib : null;
  if (!lib) {
    if (window.console) console.error("refbook: load assets/survey-base.js before assets/survey-store.js; the survey is off.");
    return;
  }
  var D = lib.siteData("survey");
  if (!D) { lib.provide("store", null); return; } // worksheets: blank paper forms, no answers
  // A theme's own page may still load the survey without it: say why nothing scores.
  if (!window.refbookScoring) {
    if (window.console) console.error("refbook: load assets/scoring.js before assets/survey-store.js; the survey is off.");
    lib.provide("store", null);
    return;
  }
  var scoring = window.refbookScoring.prepare(D);
  var $ = lib.$, $$ = lib.$$, has = lib.has, isObj = lib.isObj, dict = lib.dict, el = lib.el, add = lib.add;
  var plural = lib.plural;

  var MODEL = D.model || lib.doc.documentElement.getAttribute("data-model") || "refbook";
  var KEY = "refbook:" + MODEL + ":answers";
  var FORMAT = "refbook-survey";
  var FORMAT_VERSION = 2; // export writes version 2; import reads 1 and 2
  var RESPONDENT_FIELDS = ["organization", "scope", "assessor", "date"];
  var PLAN_FIELDS = ["owner", "due", "note"];

  /* ---------- the model, indexed ---------- */

  var scale = D.scale || [];
  var scaleLabel = {};
  scale.forEach(function (s) { scaleLabel[String(s.value)] = s.label; });
  var levels = (D.levels || []).slice().sort(function (a, b) { return a.level - b.level; });
  var levelName = {};
  levels.forEach(function (l) { levelName[l.level] = l.name; });

  var questions = {};            // id -> {id, title, area, objective?, goal?}
  var areas = D.areas.map(function (a) {
    var area = {
      code: a.code, name: a.name, category: a.category, url: a.url,
      reason: a.assessable === false && typeof a.reason === "string" ? a.reason : "",
      objectives: a.objectives || [], goals: a.goals || [], practiceIds: [], genericIds: []
    };
    area.objectives.forEach(function (o) {
      o.practices.forEach(function (p) {
        questions[p.id] = { id: p.id, title: p.title, anchor: p.anchor, area: area, objective: o.id, kind: "practice" };
        area.practiceIds.push(p.id);
      });
    });
    area.goals.forEach(function (g) {
      (g.questions || []).forEach(function (q) {
        questions[q.id] = { id: q.id, title: q.title, anchor: q.anchor, area: area, goal: g.id, kind: "generic" };
        area.genericIds.push(q.id);
      });
    });
    return area;
  });
  var dataArea = {};
  D.areas.forEach(function (a) { dataArea[a.code] = a; });
  var areaByCode = {};
  areas.forEach(function (a) { areaByCode[a.code] = a; });
  var questionOrder = [];
  areas.forEach(function (a) { questionOrder = questionOrder.concat(a.practiceIds, a.genericIds); });

  function validValue(v) {
    if (v === "na") return !!D.not_applicable;
    return typeof v === "number" && has(scaleLabel, String(v));
  }
  function valueLabel(v) {
    if (v === "na") return "Not applicable";
    if (v === undefined || v === null) return "";
    return has(scaleLabel, String(v)) ? scaleLabel[String(v)] : "not on the scale";
  }
  /** Each area status (scoring.js STATUSES) in words and as a symbol; levelText
   *  gives the level only when assessed (an area nobody answered is never level 0). */
  var STATUS_TEXT = { "assessed": "assessed", "not-assessed": "not assessed", "out-of-scope": "out of scope",
    "not-assessable": "not assessable", "not-applicable": "not applicable" };
  var STATUS_SYMBOL = { "assessed": "\u25CF", "not-assessed": "\u25CC", "out-of-scope": "\u2298",
    "not-assessable": "\u2013", "not-applicable": "\u2205" };
  var STATUS_LONG = { "not-assessable": "not assessable: no objectives", "out-of-scope": "out of scope",
    "not-applicable": "not applicable: every practice answered N/A", "not-assessed": "not assessed: nothing answered" };
  function levelText(a, r) {
    // The model's own reason (its status note) is long; the short form says which kind.
    if (r.status === "not-assessable" && a.reason && a.objectives.length)
      return "not assessable: set aside by the model";
    if (r.status !== "assessed") return STATUS_LONG[r.status];
    return "level " + r.level + (levelName[r.level] ? " \u00B7 " + levelName[r.level] : "");
  }
  /** What an answer counts as (scoring.js `counted`); countedValue: a scale value, "na"
   *  with a reason on a practice, or undefined (unanswered, or refused: flagOf says why). */
  function counted(answers, id) {
    return scoring.counted(answers, id, has(questions, id) && questions[id].kind === "generic");
  }
  function countedValue(answers, id) {
    var c = counted(answers, id);
    return !c || has(c, "flag") ? undefined : has(c, "na") ? "na" : c.value;
  }
  function flagOf(answers, id) { var c = counted(answers, id); return c && has(c, "flag") ? c.flag : ""; }

  /* ---------- storage ---------- */

  var memoryOnly = false;
  var pendingMessages = [];
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
      var sc = readScope(s, { problems: [] });
      if (sc.areas_in_scope) out.areas_in_scope = sc.areas_in_scope;
      if (sc.targets) out.targets = sc.targets;
      if (isObj(s.plan)) out.plan = readPlan(s.plan, { problems: [], warnings: [] });
      out.updated = s.updated;
      moveRenamed(out);
      return out;
    } catch (e) {
      // Never drop what we cannot read: keep the raw text under another key.
      try { ls.setItem(KEY + ":unreadable:" + Date.now(), raw); } catch (e2) { /* full */ }
      pendingMessages.push(["error", "The answers saved in this browser could not be read (" + e.message +
        "). They were kept under the key " + KEY + ":unreadable:… and the survey starts empty."]);
      return emptyStore();
    }
  }
  /** Answers saved under ids this version of the model renamed move to the
   *  new ids (scoring.js's RENAMES RULE), with their plan entries; the move is
   *  saved and told. */
  function moveRenamed(s) {
    var isQ = function (id) { return has(questions, id); };
    var r = window.refbookScoring.renames(D.renames, isQ, Object.keys(s.answers));
    r.moved.forEach(function (m) {
      s.answers[m[1]] = s.answers[m[0]];
      delete s.answers[m[0]];
      if (isObj(s.plan) && has(s.plan, m[0])) {
        if (!has(s.plan, m[1])) s.plan[m[1]] = s.plan[m[0]];
        delete s.plan[m[0]];
      }
    });
    if (r.moved.length) {
      pendingMessages.push(["info", plural(r.moved.length, "saved answer") + " named ids that this version of the model renamed; " +
        (r.moved.length === 1 ? "it" : "they") + " moved to the new ids:", r.moved.map(function (m) { return m[0] + " \u2192 " + m[1]; }), true]);
    }
    if (r.kept.length) {
      pendingMessages.push(["warning", plural(r.kept.length, "saved answer") + " to renamed ids stayed where " +
        (r.kept.length === 1 ? "it was" : "they were") + " (listed under \u201cSaved answers this model does not use\u201d):", r.kept.map(keptText)]);
    }
    return r;
  }
  function keptText(k) {
    return k[0] + " (now " + k[1] + "): " + (k[2] === "answered" ? k[1] + " has its own answer" : "another answer moves to " + k[1] + " too");
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
  function setAnswer(id, value, note) {
    var e = isObj(entry(id)) ? entry(id) : {};
    if (value !== undefined) { if (value === null) delete e.value; else e.value = value; }
    if (e.value !== "na") delete e.reason; // a reason belongs to an N/A answer only
    if (note !== undefined) { if (note === "") delete e.note; else e.note = note; }
    keepOrDrop(id, e);
    save();
  }
  /** An entry with nothing left (no value, note or evidence) is no answer at all. */
  function keepOrDrop(id, e) {
    var empty = e.value === undefined && (e.note === undefined || e.note === "") && !(Array.isArray(e.evidence) && e.evidence.length);
    if (empty) delete store.answers[id]; else store.answers[id] = e;
  }
  /** An answer's evidence: the pieces with an href ({href, description?}), in
   *  order; an empty list removes it. Kept whatever the value (even none). */
  function setEvidence(id, list) {
    var e = isObj(entry(id)) ? entry(id) : {};
    var ev = readEvidence(list);
    if (ev.length) e.evidence = ev; else delete e.evidence;
    keepOrDrop(id, e);
    save();
  }
  function readEvidence(list) {
    return (Array.isArray(list) ? list : []).filter(function (x) { return isObj(x) && typeof x.href === "string" && x.href !== ""; })
      .map(function (x) { return typeof x.description === "string" && x.description !== "" ? { href: x.href, description: x.description } : { href: x.href }; });
  }
  /** The reason of an N/A answer (required: without one the N/A does not count). */
  function setReason(id, reason) {
    var e = entry(id);
    if (!isObj(e) || e.value !== "na") return;
    if (reason === "") delete e.reason; else e.reason = reason;
    save();
  }
  /** The areas in scope (codes, in any order) or null for every area. */
  function setScope(list) {
    if (list === null) delete store.areas_in_scope;
    else store.areas_in_scope = areas.map(function (a) { return a.code; }).filter(function (c) { return list.indexOf(c) >= 0; });
    save();
  }
  /** Sets the target level of each area of `codes` (null: no target); an empty map is dropped. */
  function setTargets(codes, level) {
    var t = dict(isObj(store.targets) ? store.targets : null);
    codes.forEach(function (c) {
      if (!has(areaByCode, c)) return;
      if (level === null) delete t[c]; else t[c] = level;
    });
    if (Object.keys(t).length) store.targets = t; else delete store.targets;
    save();
  }
  function inScope(code) { return !Array.isArray(store.areas_in_scope) || store.areas_in_scope.indexOf(code) >= 0; }
  function setRespondent(k, v) {
    if (!isObj(store.respondent)) store.respondent = {};
    if (v === "") delete store.respondent[k]; else store.respondent[k] = v;
    save();
  }
  function respondentValue(k) {
    return store && isObj(store.respondent) && typeof store.respondent[k] === "string" ? store.respondent[k] : "";
  }
  function answerCount() { return Object.keys(store.answers).length; }
  /** Replaces the saved answers and details (an import), and saves them; the
   *  plan too when one is given (bringing answers over keeps it). */
  function replace(answers, respondent, scope, plan) {
    store.answers = answers;
    store.respondent = respondent;
    delete store.areas_in_scope; delete store.targets;
    if (isObj(scope) && scope.areas_in_scope) store.areas_in_scope = scope.areas_in_scope;
    if (isObj(scope) && scope.targets) store.targets = scope.targets;
    if (plan !== undefined) store.plan = isObj(plan) ? plan : dict();
    save();
  }
  /** The action plan: {id: {owner?, due?, note?}} (a map without a prototype). */
  function plan() { return isObj(store.plan) ? store.plan : dict(); }
  /** Sets one question's plan entry ({owner, due, note}, each text; empty or
   *  absent clears it; a due date that is not YYYY-MM-DD is refused: false). */
  function setPlan(id, fields) {
    var e = readPlanEntry(fields);
    if (!e) return false;
    if (!isObj(store.plan)) store.plan = dict();
    if (Object.keys(e).length) store.plan[id] = e; else delete store.plan[id];
    save();
    return true;
  }

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

  /** Every area, keyed by code: status, objective and goal states, level (null
   *  unless assessed), counts, N/A and flagged lists (scoring.js assess, rules v2). */
  function scoreAll(answers, scope) { return scoring.assess(answers || store.answers, scope || scopeOf(store)); }
  /** One area of the saved answers, as scoreAll scores it: the form rescores
   *  only the area whose answer changed (a model ten times this one stays quick). */
  function scoreArea(code) { return scoring.assessArea(dataArea[code], store.answers, scopeOf(store)); }
  /** The scope of a store or file: {areas_in_scope?, targets?} (absent: every area). */
  function scopeOf(s) {
    var out = {};
    if (isObj(s) && Array.isArray(s.areas_in_scope)) out.areas_in_scope = s.areas_in_scope.slice();
    if (isObj(s) && isObj(s.targets)) out.targets = s.targets;
    return out;
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
      if (typeof e.reason === "string" && e.reason !== "") o.reason = e.reason;
      if (Array.isArray(e.evidence)) {
        var ev = readEvidence(e.evidence);
        if (ev.length) o.evidence = ev;
        if (ev.length < e.evidence.length) rep.problems.push(id + ": evidence without an href; left out.");
      }
      if (e.note !== undefined && e.note !== null) {
        if (typeof e.note === "string") { if (e.note !== "") o.note = e.note; }
        else rep.problems.push(id + ": the note is not text; left out.");
      }
      if (!has(o, "value") && !has(o, "note") && !has(o, "evidence")) return;
      answers[id] = o;
    });
    var isQ = function (qid) { return has(questions, qid); };
    var r = window.refbookScoring.renames(D.renames, isQ, Object.keys(answers));
    r.moved.forEach(function (m) { answers[m[1]] = answers[m[0]]; delete answers[m[0]]; });
    if (rep.moved) r.moved.forEach(function (m) { rep.moved.push(m[0] + " \u2192 " + m[1]); });
    if (rep.warnings) r.kept.forEach(function (k) { rep.warnings.push("The answer to " + keptText(k) + "; it was not moved."); });
    Object.keys(answers).forEach(function (qid) { if (!isQ(qid)) rep.unknown.push(qid); });
    return answers;
  }
  /** A file's (or the store's) areas_in_scope and targets, with codes of this model only. */
  function readScope(raw, rep) {
    var out = {};
    if (Array.isArray(raw.areas_in_scope)) {
      out.areas_in_scope = [];
      raw.areas_in_scope.forEach(function (c) {
        if (typeof c === "string" && has(areaByCode, c)) { if (out.areas_in_scope.indexOf(c) < 0) out.areas_in_scope.push(c); }
        else rep.problems.push("areas_in_scope: " + JSON.stringify(c) + " is not an area of this model; left out.");
      });
    }
    if (isObj(raw.targets)) {
      out.targets = dict();
      Object.keys(raw.targets).forEach(function (c) {
        if (has(areaByCode, c) && Number.isSafeInteger(raw.targets[c])) out.targets[c] = raw.targets[c];
        else rep.problems.push("targets: " + c + " is not an area of this model with a whole-number target; left out.");
      });
    }
    return out;
  }
  /** A calendar date written YYYY-MM-DD (what <input type=date> gives). */
  function isDate(s) {
    var m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
    if (!m) return false;
    var y = +m[1], mo = +m[2], d = +m[3];
    var leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
    var days = [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo - 1];
    return days !== undefined && d >= 1 && d <= days; // as src/answers/plan.rs checks it
  }
  /** A plan entry's text fields, or null when its due date is not a date. */
  function readPlanEntry(e) {
    if (!isObj(e)) return null;
    var o = {};
    for (var i = 0; i < PLAN_FIELDS.length; i++) {
      var k = PLAN_FIELDS[i], v = e[k];
      if (typeof v !== "string" || v === "") continue;
      if (k === "due" && !isDate(v)) return null;
      o[k] = v;
    }
    return o;
  }
  /** A file's (or the store's) plan: entries of owner, due and note by question
   *  id; entries for ids this model does not ask are kept, as answers are. */
  function readPlan(raw, rep) {
    var out = dict(), unknown = 0;
    if (!isObj(raw)) return out;
    Object.keys(raw).forEach(function (id) {
      var e = readPlanEntry(raw[id]);
      if (!e) { rep.problems.push("plan: " + id + ": not an entry of owner, due (YYYY-MM-DD) and note; left out."); return; }
      if (!Object.keys(e).length) return;
      out[id] = e;
    });
    // Entries under renamed ids move as answers do (the RENAMES RULE over the plan's ids).
    var isQ = function (qid) { return has(questions, qid); };
    window.refbookScoring.renames(D.renames, isQ, Object.keys(out)).moved.forEach(function (m) {
      out[m[1]] = out[m[0]];
      delete out[m[0]];
    });
    Object.keys(out).forEach(function (qid) { if (!isQ(qid)) unknown++; });
    if (unknown) rep.warnings.push(plural(unknown, "plan entry", "plan entries") + " name questions this model does not have; they are kept.");
    return out;
  }
  function readRespondent(raw) {
    var respondent = {};
    if (isObj(raw)) RESPONDENT_FIELDS.forEach(function (k) {
      if (typeof raw[k] === "string" && raw[k] !== "") respondent[k] = raw[k];
    });
    return respondent;
  }

  /* ---------- redrawing the page's parts ---------- */

  var redrawers = [];
  /** fn({print}) runs whenever the answers change as a whole (another tab, an
   *  import, answers brought over, clearing), in the order the parts loaded. */
  function onRedraw(fn) { redrawers.push(fn); }
  function redraw(opts) { redrawers.forEach(function (fn) { fn(opts); }); }

  // Another tab changed the answers: show them here too.
  window.addEventListener("storage", function (e) {
    if (e.key !== KEY) return;
    store = load();
    redraw({ print: false });
  });

  /* ---------- messages ---------- */

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

  function clearAll(ask) {
    ask = ask || function (m) { return window.confirm(m); };
    var n = answerCount();
    if (!ask("Clear all " + plural(n, "answer") + " and the assessment details saved in this browser for the model " + MODEL +
        "? This cannot be undone; export them first if you may need them.")) return false;
    store = emptyStore();
    if (!memoryOnly) try { storage().removeItem(KEY); } catch (e) { /* ignore */ }
    redraw({ print: false });
    return true;
  }

  /* ---------- start ---------- */

  store = load();
  var movedOnLoad = pendingMessages.some(function (m) { return m[3]; });
  if (movedOnLoad) save();
  pendingMessages.forEach(function (m) { say(m[0], m[1], m[2]); });
  pendingMessages = [];

  lib.provide("store", {
    D: D, MODEL: MODEL, KEY: KEY, FORMAT: FORMAT, FORMAT_VERSION: FORMAT_VERSION,
    RESPONDENT_FIELDS: RESPONDENT_FIELDS, scoring: scoring,
    scale: scale, scaleLabel: scaleLabel, levels: levels, levelName: levelName,
    questions: questions, areas: areas, areaByCode: areaByCode, questionOrder: questionOrder,
    STATE_TEXT: { "achieved": "achieved", "partial": "partly achieved", "not-achieved": "not achieved",
      "unanswered": "unanswered", "not-assessable": "not assessable", "not-applicable": "not applicable" },
    STATE_SYMBOL: { "achieved": "\u25CF", "partial": "\u25D0", "not-achieved": "\u25CB",
      "unanswered": "\u00B7", "not-assessable": "\u2013", "not-applicable": "\u2205" },
    STATUS_TEXT: STATUS_TEXT, STATUS_SYMBOL: STATUS_SYMBOL,
    validValue: validValue, valueLabel: valueLabel, levelText: levelText,
    /** The saved answers (the live map) and when they last changed. */
    answers: function () { return store.answers; },
    updated: function () { return store.updated; },
    memoryOnly: function () { return memoryOnly; },
    /** The value that counts for scoring: a valid scale value, "na" with a reason, or undefined. */
    value: countedValue, flagOf: flagOf, scopeOf: scopeOf,
    performed: function (v) { return typeof v === "number" && v >= D.performed_at; },
    save: save, entry: entry, setAnswer: setAnswer, setReason: setReason, setEvidence: setEvidence, setScope: setScope, inScope: inScope, setRespondent: setRespondent, respondentValue: respondentValue,
    answerCount: answerCount, replace: replace, orphans: orphans, scoreAll: scoreAll, scoreArea: scoreArea,
    readAnswers: readAnswers, readRespondent: readRespondent, readScope: readScope, readPlan: readPlan,
    PLAN_FIELDS: PLAN_FIELDS, plan: plan, setPlan: setPlan, isDate: isDate, setTargets: setTargets,
    /** The scope saved with the answers: {areas_in_scope?, targets?}. */
    scope: function () { return scopeOf(store); },
    onRedraw: onRedraw, redraw: redraw, say: say, messageBox: messageBox, dismissible: dismissible, clearAll: clearAll,
    storage: function () { return memoryOnly ? null : storage(); }
  });

  /** For tests and for people who script assessments. */
  lib.api({
    key: KEY,
    model: MODEL,
    answers: function () { return JSON.parse(JSON.stringify(store.answers)); },
    respondent: function () { return JSON.parse(JSON.stringify(store.respondent)); },
    plan: function () { return JSON.parse(JSON.stringify(plan())); },
    score: function () { return JSON.parse(JSON.stringify(scoreAll(), function (k, v) { return k === "area" ? undefined : v; })); },
    orphans: function () { return orphans().map(function (o) { return o.id; }); },
    clear: clearAll
  });
})();
