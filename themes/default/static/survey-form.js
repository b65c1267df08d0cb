/* refbook survey: the form on the survey page and the area pages. Binds each
 * question's radios, clear button and notes, and the assessment details, to the
 * saved answers; shows each objective's and goal's state, each area's level and
 * the progress as scoring.js computes them; lists saved answers the model does
 * not use; runs the toolbar's "next unanswered" and "clear" buttons.
 *
 * Provides lib.part("form") (refresh, onRefresh, scores); API: nextUnanswered.
 *
 * Loads after: survey-data.js scoring.js survey-base.js survey-store.js
 */
(function () {
  "use strict";

  var own = Object.prototype.hasOwnProperty;
  var S = own.call(window, "refbookSurvey") ? window.refbookSurvey : null;
  var lib = S && own.call(S, "lib") ? S.lib : null;
  if (!lib) {
    if (window.console) console.error("refbook: load assets/survey-base.js before assets/survey-form.js; the survey form is off.");
    return;
  }
  var C = lib.need("store", "survey-form.js");
  if (!C) { lib.provide("form", null); return; } // no survey here, or it says why
  var doc = lib.doc, $ = lib.$, $$ = lib.$$, isObj = lib.isObj, el = lib.el, add = lib.add, clearEl = lib.clearEl;
  var plural = lib.plural, areas = C.areas;

  /* ---------- showing states in the page ---------- */

  function showState(node, state) {
    node.setAttribute("data-state", state);
    clearEl(node);
    add(node, [el("span", { "aria-hidden": "true", "class": "sym", text: C.STATE_SYMBOL[state] + " " }), C.STATE_TEXT[state]]);
  }

  /** The nodes that show scores, by area, found once: an answer redraws its
   *  own area's only (a whole-model page of a large model has thousands). */
  var shown = null;
  function shownNodes() {
    if (shown) return shown;
    shown = {};
    var objArea = {};
    areas.forEach(function (a) {
      shown[a.code] = { obj: [], goal: [], level: [], progress: [] };
      a.objectives.forEach(function (o) { objArea[o.id] = a.code; });
    });
    function put(code, kind, n) { if (shown[code]) shown[code][kind].push(n); }
    $$("[data-objective]").forEach(function (n) { put(objArea[n.getAttribute("data-objective")], "obj", n); });
    $$("[data-goal]").forEach(function (n) { put(n.getAttribute("data-goal").split(":")[0], "goal", n); });
    $$("strong[data-area], [data-area][data-level]").forEach(function (n) { put(n.getAttribute("data-area"), "level", n); });
    $$("[data-progress]").forEach(function (n) { put(n.getAttribute("data-progress"), "progress", n); });
    return shown;
  }
  function showArea(a, r) {
    var n = shownNodes()[a.code];
    n.obj.forEach(function (x) { var o = r.objectives[x.getAttribute("data-objective")]; if (o) showState(x, o.state); });
    n.goal.forEach(function (x) { var g = r.goals[x.getAttribute("data-goal").split(":")[1]]; if (g) showState(x, g.state); });
    n.level.forEach(function (x) {
      x.setAttribute("data-level", r.level === null ? "" : String(r.level));
      x.setAttribute("data-status", r.status);
      x.setAttribute("data-assessable", r.assessable ? "true" : "false");
      if (x.tagName === "STRONG") {
        clearEl(x);
        add(x, [el("span", { "aria-hidden": "true", "class": "sym", text: C.STATUS_SYMBOL[r.status] + " " }), C.levelText(a, r)]);
      }
    });
    n.progress.forEach(function (x) {
      x.textContent = r.answered + "/" + r.total + " answered";
      x.classList.toggle("complete", r.answered === r.total);
    });
  }

  var scores = null, refreshed = [];
  /** Scores and shows every area, or (`code`) only the area whose answer changed. */
  function refresh(code) {
    if (typeof code === "string" && scores && C.areaByCode[code]) {
      scores[code] = C.scoreArea(code);
      showArea(C.areaByCode[code], scores[code]);
    } else {
      scores = C.scoreAll();
      areas.forEach(function (a) { showArea(a, scores[a.code]); });
      showOrphans();
    }
    showProgress(scores);
    refreshed.forEach(function (fn) { fn(scores, code); });
    return scores;
  }
  /** fn(scores, code) after each refresh (the navigator shows progress with it). */
  function onRefresh(fn) { refreshed.push(fn); }
  function showProgress(scores) {
    var prog = $("#survey-progress");
    if (!prog) return;
    var answered = 0, total = 0, complete = 0;
    areas.forEach(function (a) {
      answered += scores[a.code].answered; total += scores[a.code].total;
      if (scores[a.code].answered === scores[a.code].total) complete++;
    });
    prog.textContent = answered + " of " + total + " questions answered; " + complete + " of " +
      plural(areas.length, "area") + " complete." +
      (C.memoryOnly() ? " Not saved: this browser does not allow storage here; export before leaving." :
        C.updated() ? " Saved in this browser." : "");
  }

  /* ---------- binding the questions ---------- */

  var fieldsets = $$("fieldset[data-question]");
  function areaOf(fs) {
    var q = C.questions[fs.getAttribute("data-question")];
    return q ? q.area.code : undefined;
  }

  function radioValue(v) {
    if (v === "na") return "na";
    for (var i = 0; i < C.scale.length; i++) if (String(C.scale[i].value) === v) return C.scale[i].value;
    return undefined;
  }
  function applyToPage() {
    fieldsets.forEach(applyFs);
    $$("[data-respondent]").forEach(function (inp) {
      var v = C.respondentValue(inp.getAttribute("data-respondent"));
      if (inp.value !== v) inp.value = v;
      inp.classList.toggle("is-empty", v === "");
    });
  }
  function applyFs(fs) {
    var id = fs.getAttribute("data-question");
    var e = C.entry(id);
    var v = isObj(e) && e.value !== undefined && e.value !== null ? String(e.value) : null;
    $$("input[type=radio]", fs).forEach(function (r) { r.checked = v !== null && r.value === v; });
    var note = isObj(e) && typeof e.note === "string" ? e.note : "";
    var ta = $(".note textarea", fs);
    if (ta && ta.value !== note) ta.value = note;
    mirrorNote(fs, note);
    var rs = $("textarea[data-reason]", fs), reason = isObj(e) && typeof e.reason === "string" ? e.reason : "";
    if (rs && rs.value !== reason) rs.value = reason;
    applyOne(fs);
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
  var FLAG_TEXT = { "na-without-reason": "Not applicable needs a reason: until one is given, this question counts as unanswered.",
    "na-on-generic-practice": "A generic practice cannot be not applicable: this answer counts as unanswered." };
  function applyOne(fs) {
    var id = fs.getAttribute("data-question");
    fs.classList.toggle("answered", C.value(C.answers(), id) !== undefined);
    var e = C.entry(id), flag = C.flagOf(C.answers(), id);
    fs.classList.toggle("flagged", flag !== "");
    if (flag) fs.setAttribute("data-flag", flag); else fs.removeAttribute("data-flag");
    var fl = $(".flag", fs);
    if (fl) { fl.hidden = !flag; fl.textContent = flag ? FLAG_TEXT[flag] : ""; }
    var rl = $(".reason", fs);
    if (rl) rl.hidden = !(isObj(e) && e.value === "na");
    var clear = $(".clear-answer", fs);
    if (clear) clear.hidden = !(isObj(e) && e.value !== undefined);
    if (!(isObj(e) && e.value !== undefined)) $$("input[type=radio]", fs).forEach(function (r) { r.checked = false; });
  }

  fieldsets.forEach(prepare);
  /** A question's own controls: clear, the reason for N/A, the flag. */
  function prepare(fs) {
    var id = fs.getAttribute("data-question");
    var scaleDiv = $(".scale", fs);
    if (scaleDiv) {
      var b = el("button", { type: "button", "class": "clear-answer no-print", "aria-label": "Clear answer to " + id, text: "Clear answer" });
      b.hidden = true;
      scaleDiv.appendChild(b);
    }
    // N/A asks for its reason (a generic practice offers no N/A); a refused answer says why.
    var at = $(".note", fs) || scaleDiv;
    if ($("input[type=radio][value=na]", fs) && at) {
      var rl = el("label", { "class": "reason" }, el("span", { text: "Why it does not apply (required for N/A)" }),
        el("textarea", { name: fs.id + "-reason", rows: "2", "data-reason": "", required: "" }));
      rl.hidden = true;
      at.parentNode.insertBefore(rl, at.nextSibling); // after the note: the first textarea stays the note
    }
    if (at) {
      var fl = el("p", { "class": "flag", role: "status" });
      fl.hidden = true;
      at.parentNode.insertBefore(fl, at);
    }
  }
  // An area loaded on demand (whole-parts.js): its questions are bound and shown like the others.
  var P = own.call(window, "refbookParts") ? window.refbookParts : null;
  if (P) P.onLoaded(function (code, sec) {
    var added = $$("fieldset[data-question]", sec);
    added.forEach(prepare);
    added.forEach(applyFs);
    fieldsets = $$("fieldset[data-question]");
    shown = null;
    applyScope();
    refresh(code);
  });

  doc.addEventListener("change", function (e) {
    var t = e.target;
    var fs = t.closest && t.closest("fieldset[data-question]");
    if (fs && t.type === "radio") {
      var v = radioValue(t.value);
      if (v === undefined) return;
      C.setAnswer(fs.getAttribute("data-question"), v, undefined);
      applyOne(fs);
      refresh(areaOf(fs));
      var rs = v === "na" ? $("textarea[data-reason]", fs) : null;
      if (rs && !rs.value) rs.focus();
    }
  });
  doc.addEventListener("input", function (e) {
    var t = e.target;
    if (t.matches && t.matches("[data-respondent]")) {
      var k = t.getAttribute("data-respondent");
      C.setRespondent(k, t.value);
      t.classList.toggle("is-empty", t.value === "");
      var print = lib.part("print");
      if (k === "organization" && print) print.headers();
      return;
    }
    var fs = t.closest && t.closest("fieldset[data-question]");
    if (fs && t.hasAttribute("data-reason")) {
      C.setReason(fs.getAttribute("data-question"), t.value);
      applyOne(fs);
      refresh(areaOf(fs));
    } else if (fs && t.tagName === "TEXTAREA") {
      C.setAnswer(fs.getAttribute("data-question"), undefined, t.value);
      mirrorNote(fs, t.value);
    }
  });
  doc.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest(".clear-answer");
    if (!b) return;
    var fs = b.closest("fieldset[data-question]");
    C.setAnswer(fs.getAttribute("data-question"), null, undefined);
    applyOne(fs);
    refresh(areaOf(fs));
    var first = $("input[type=radio]", fs);
    if (first) first.focus();
  });

  /* ---------- scope: the areas this assessment covers ---------- */

  /** Checkboxes per category and per area (survey page); out-of-scope areas are
   *  hidden there and marked on area pages. The scope is saved with the answers. */
  var scopeBox = $("#survey-scope [data-scope]");
  function buildScope() {
    if (!scopeBox) return;
    var cats = (C.D.categories || []).slice();
    areas.forEach(function (a) {
      if (!cats.some(function (c) { return c.id === a.category; })) cats.push({ id: a.category, name: a.category || "Other" });
    });
    cats.forEach(function (c) {
      var as = areas.filter(function (a) { return a.category === c.id; });
      if (!as.length) return;
      var fs = el("fieldset", { "class": "scope-category" }, el("legend", null, el("label", null,
        el("input", { type: "checkbox", "data-scope-category": c.id }), " " + c.name)));
      as.forEach(function (a) {
        fs.appendChild(el("label", { "class": "scope-area" }, el("input", { type: "checkbox", "data-scope-area": a.code }),
          " ", el("span", { "class": "id", text: a.code }), " " + a.name));
      });
      scopeBox.appendChild(fs);
    });
  }
  function applyScope() {
    $$("[data-scope-area]").forEach(function (b) { b.checked = C.inScope(b.getAttribute("data-scope-area")); });
    $$("[data-scope-category]").forEach(function (b) {
      var boxes = $$("[data-scope-area]", b.closest("fieldset"));
      var on = boxes.filter(function (x) { return x.checked; }).length;
      b.checked = on === boxes.length; b.indeterminate = on > 0 && on < boxes.length;
    });
    $$("section[data-survey-area]").forEach(function (sec) {
      var code = sec.getAttribute("data-survey-area"), out = !C.inScope(code);
      sec.setAttribute("data-scope", out ? "out" : "in");
      if (scopeBox) sec.hidden = out; // the survey page does not ask it
      var note = $(".scope-note", sec);
      if (!scopeBox && out && !note) {
        note = el("p", { "class": "scope-note", role: "note", text: "This area is out of the scope of your assessment: " +
          "its answers are kept but it shows as out of scope in the results. Change the scope on the survey page." });
        var h = $("h2", sec);
        sec.insertBefore(note, h ? h.nextSibling : sec.firstChild);
      } else if (note && !out) note.remove();
    });
    $$("[data-progress]").forEach(function (n) {
      var li = n.closest("li");
      if (li) li.classList.toggle("out-of-scope", !C.inScope(n.getAttribute("data-progress")));
    });
  }
  doc.addEventListener("change", function (e) {
    var t = e.target;
    if (!t.matches || !t.matches("[data-scope-area], [data-scope-category]")) return;
    if (t.hasAttribute("data-scope-category"))
      $$("[data-scope-area]", t.closest("fieldset")).forEach(function (b) { b.checked = t.checked; });
    var boxes = $$("[data-scope-area]"), on = boxes.filter(function (b) { return b.checked; });
    C.setScope(on.length === boxes.length ? null : on.map(function (b) { return b.getAttribute("data-scope-area"); }));
    applyScope();
    refresh();
  });

  /* ---------- saved answers this model does not use ---------- */

  function showOrphans() {
    var box = $("#orphans");
    if (!box) return;
    var list = C.orphans();
    clearEl(box);
    box.hidden = list.length === 0;
    if (!list.length) return;
    box.appendChild(el("h2", { id: "orphans-h", text: "Saved answers this model does not use (" + list.length + ")" }));
    box.appendChild(el("p", { text: "These answers were given to questions that this version of the model does not ask, " +
      "or hold a value that is not on its scale. They are kept, exported with the others, and count for nothing." }));
    box.appendChild(orphanTable(list));
    var drop = el("button", { type: "button", "class": "danger", text: "Discard these " + plural(list.length, "answer") });
    drop.addEventListener("click", function () {
      if (!window.confirm("Discard " + plural(list.length, "saved answer") + " that this model does not use? This cannot be undone; export first to keep them.")) return;
      var answers = C.answers();
      list.forEach(function (o) { delete answers[o.id]; });
      C.save();
      refresh();
      C.say("info", "Discarded " + plural(list.length, "unused answer") + ".");
    });
    box.appendChild(el("p", { "class": "no-print" }, drop));
  }
  function orphanTable(list) {
    var t = el("table", { "class": "orphans" });
    t.appendChild(el("thead", null, el("tr", null, el("th", { scope: "col", text: "Id" }), el("th", { scope: "col", text: "Answer" }),
      el("th", { scope: "col", text: "Note" }), el("th", { scope: "col", text: "Why" }))));
    var tb = el("tbody");
    list.forEach(function (o) {
      var e = isObj(o.entry) ? o.entry : {};
      var v = e.value === undefined || e.value === null ? "" : String(e.value);
      var lab = C.valueLabel(e.value);
      tb.appendChild(el("tr", null, el("td", { "class": "id", text: o.id }),
        el("td", { text: v + (lab && lab !== v ? " (" + lab + ")" : "") }),
        el("td", { text: typeof e.note === "string" ? e.note : "" }), el("td", { text: o.why })));
    });
    t.appendChild(tb);
    return t;
  }

  /* ---------- toolbar: next unanswered, clear ---------- */

  function nextUnanswered() {
    if (P && P.slots().length) return nextInModel();
    var start = 0;
    var cur = doc.activeElement && doc.activeElement.closest && doc.activeElement.closest("fieldset[data-question]");
    if (cur) start = fieldsets.indexOf(cur) + 1;
    for (var i = 0; i < fieldsets.length; i++) {
      var fs = fieldsets[(start + i) % fieldsets.length];
      var q = C.questions[fs.getAttribute("data-question")];
      if (q && !C.inScope(q.area.code)) continue; // not asked
      if (C.value(C.answers(), fs.getAttribute("data-question")) === undefined) {
        var nav = lib.part("nav"); // the survey page shows one area at a time
        if (nav) nav.reveal(fs);
        fs.scrollIntoView({ block: "start" });
        var r = $("input[type=radio]", fs);
        if (r) r.focus({ preventScroll: true });
        return fs.getAttribute("data-question");
      }
    }
    C.say("info", "Every question on this page is answered.");
    return null;
  }
  /** The same on a page that loads its areas on demand: in the model's
   *  order, from the question in focus; an area not loaded is loaded first. */
  function nextInModel() {
    var order = C.questionOrder, on = {};
    P.slots().forEach(function (c) { on[c] = true; });
    var cur = doc.activeElement && doc.activeElement.closest && doc.activeElement.closest("fieldset[data-question]");
    var start = cur ? order.indexOf(cur.getAttribute("data-question")) + 1 : 0;
    for (var i = 0; i < order.length; i++) {
      var id = order[(start + i) % order.length], q = C.questions[id];
      if (!q || !on[q.area.code] || !C.inScope(q.area.code) || C.value(C.answers(), id) !== undefined) continue;
      var go = function () {
        var fs = doc.getElementById(q.anchor), nav = lib.part("nav");
        if (!fs) return;
        if (nav) nav.reveal(fs);
        fs.scrollIntoView({ block: "start" });
        var r = $("input[type=radio]", fs);
        if (r) r.focus({ preventScroll: true });
      };
      if (P.loaded(q.area.code)) go(); else P.load(q.area.code, go);
      return id;
    }
    C.say("info", "Every question on this page is answered.");
    return null;
  }
  doc.addEventListener("click", function (e) {
    var b = e.target.closest && e.target.closest("button[data-action]");
    if (!b) return;
    var act = b.getAttribute("data-action");
    if (act === "clear") { if (C.clearAll()) C.say("info", "All answers were cleared."); }
    else if (act === "next-unanswered") nextUnanswered();
  });

  /* ---------- start ---------- */

  C.onRedraw(function () { applyToPage(); applyScope(); refresh(); });
  buildScope();
  applyScope();
  applyToPage();
  refresh();
  lib.provide("form", { refresh: refresh, onRefresh: onRefresh, scores: function () { return scores; } });
  lib.api({ nextUnanswered: nextUnanswered });
})();
