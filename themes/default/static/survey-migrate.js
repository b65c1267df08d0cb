/* refbook survey: answers of another model id. While this model has no
 * answers saved, names every other model id with answers in this browser (the
 * model's former id, or another book: every page opened from file:// shares one
 * storage) with a button that brings over those that answer this model's
 * questions; survey-io.js offers an imported file of another model the same way.
 *
 * Provides lib.part("migrate") (offerAnswers, bringOver, savedElsewhere); API:
 * savedElsewhere.
 *
 * Loads after: survey-data.js scoring.js survey-base.js survey-store.js
 */
(function () {
  "use strict";

  var own = Object.prototype.hasOwnProperty;
  var S = own.call(window, "refbookSurvey") ? window.refbookSurvey : null;
  var lib = S && own.call(S, "lib") ? S.lib : null;
  if (!lib) {
    if (window.console) console.error("refbook: load assets/survey-base.js before assets/survey-migrate.js; bringing answers over is off.");
    return;
  }
  var C = lib.need("store", "survey-migrate.js");
  if (!C) { lib.provide("migrate", null); return; } // no survey here, or it says why
  var $$ = lib.$$, has = lib.has, isObj = lib.isObj, dict = lib.dict, el = lib.el, plural = lib.plural;
  var questions = C.questions;

  /** Answers this tool saved in this browser under other model ids: this model
   *  before its id changed, or another book (every page opened from file://
   *  shares one storage). Unreadable entries are left to their own pages. */
  function savedElsewhere() {
    var ls = C.storage(), keys = [], out = [];
    if (!ls) return out;
    try { for (var i = 0; i < ls.length; i++) keys.push(ls.key(i)); } catch (e) { return out; }
    keys.sort().forEach(function (k) {
      var m = /^refbook:(.*):answers$/.exec(k);
      if (!m || k === C.KEY) return;
      try {
        var s = JSON.parse(ls.getItem(k));
        if (!isObj(s) || !isObj(s.answers) || !Object.keys(s.answers).length) return;
        var rep = { problems: [], unknown: [] };
        out.push({ model: m[1], total: Object.keys(s.answers).length, answers: C.readAnswers(s.answers, rep),
          respondent: C.readRespondent(s.respondent), problems: rep.problems });
      } catch (e) { /* not ours to read */ }
    });
    return out;
  }

  /** A notice naming the other model and its answers, with a button to bring
   *  over those that answer questions of this model. All of it is text. */
  function offerAnswers(from) {
    var box = C.messageBox();
    if (!box) return;
    var here = Object.keys(from.answers).filter(function (id) { return has(questions, id); });
    var m = el("div", { "class": "msg msg-info msg-migrate", "data-model": from.model });
    m.appendChild(el("p", { text: (from.file ? "The " + from.file : "This browser") + " holds " + plural(from.total, "answer") +
      " saved under the model id \u201C" + from.model + "\u201D; this site is the model \u201C" + C.MODEL + "\u201D" +
      (from.file ? "." : ", and has no answers saved here yet.") + " " +
      (here.length === 0 ? "None of them answers a question of this model." :
        here.length === from.total ? (from.total === 1 ? "It answers a question" : "All of them answer questions") + " of this model." :
        plural(here.length, "of them answers", "of them answer") + " questions of this model; the others would be left where they are.") }));
    if (here.length) {
      var b = el("button", { type: "button", "class": "bring-over", text: "Bring over " + plural(here.length, "answer") });
      b.addEventListener("click", function () { if (bringOver(from).ok) m.remove(); });
      m.appendChild(el("p", { "class": "no-print" }, b));
    }
    box.insertBefore(C.dismissible(m), box.firstChild);
  }

  /** Replaces this model's answers (asking first if there are any) with those of
   *  `from` that answer its questions, and reports the ones it left. */
  function bringOver(from, ask) {
    ask = ask || function (t) { return window.confirm(t); };
    var answers = dict(), left = [];
    Object.keys(from.answers).forEach(function (id) {
      if (has(questions, id)) answers[id] = from.answers[id]; else left.push(id);
    });
    var n = Object.keys(answers).length, existing = C.answerCount();
    if (existing > 0 && !ask("Bringing over replaces the " + plural(existing, "answer") + " saved in this browser for the model " +
        C.MODEL + " with " + plural(n, "answer") + " of the model " + from.model + ". Continue?")) return { ok: false, cancelled: true };
    var respondent = {};
    C.RESPONDENT_FIELDS.forEach(function (k) { // details already given here win
      if (C.respondentValue(k)) respondent[k] = C.respondentValue(k);
      else if (has(from.respondent, k)) respondent[k] = from.respondent[k];
    });
    C.replace(answers, respondent, C.scope()); // the plan stays
    C.redraw({ print: true });
    var src = " of the model \u201C" + from.model + "\u201D";
    C.say("info", "Brought over " + plural(n, "answer") + src + (from.file ? " from the " + from.file + "." :
      "; they also stay saved under that model id."));
    if (from.problems.length) C.say("warning", plural(from.problems.length, "entry", "entries") + src + " could not be used:", from.problems);
    if (left.length) C.say("warning", plural(left.length, "answer") + src + " name questions this model does not have, and were not brought over:", left);
    return { ok: true, imported: n, left: left };
  }

  // An empty survey may be this model's answers saved under its former id.
  if ($$("fieldset[data-question]").length && C.answerCount() === 0) savedElsewhere().forEach(offerAnswers);

  lib.provide("migrate", { offerAnswers: offerAnswers, bringOver: bringOver, savedElsewhere: savedElsewhere });
  lib.api({
    savedElsewhere: function () {
      return savedElsewhere().map(function (o) {
        return { model: o.model, answers: o.total,
          matching: Object.keys(o.answers).filter(function (id) { return has(questions, id); }).length };
      });
    }
  });
})();
