/* refbook survey scoring: the rules that turn answers into objective and goal
 * states, capability levels and counts. The survey scripts (survey-store.js and
 * the form and results it feeds) show what this computes.
 *
 * Pure: no DOM, no storage, no page. A plain script (no modules, so that it
 * works from file://) defining the one global `refbookScoring`; under node it
 * is also module.exports, which is how tests/js/scoring.test.js runs the golden
 * vectors of tests/scoring/golden.json against it. src/scoring.rs implements
 * the same rules for the command line and is held to the same vectors: change
 * a rule in the README, here, in src/scoring.rs and in the vectors together.
 *
 * SCORING RULES (also in the README section "The survey of practice")
 *   answer        a scale value (number) or "na" (not applicable, when the model
 *                 offers it); a question with no such value is unanswered (a
 *                 note alone, a value off the scale or "na" where it is not
 *                 offered does not answer it).
 *   performed     value >= survey.performed_at.
 *   applicable    every question of a set except those answered "na"; unanswered
 *                 questions stay in the set (they are not performed, yet).
 *   state of a set of questions (an objective's practices, or a generic goal's
 *   practices asked for one area), checked in this order:
 *     not-assessable the set has no question;
 *     unanswered    no question of the set is answered ("na" counts as answered);
 *     achieved      every question is answered and every applicable one is
 *                   performed (so a set answered entirely "na" is achieved);
 *     not-achieved  every question is answered, at least one is applicable, and
 *                   none is performed;
 *     partial       anything else: some answered and some not, or all answered
 *                   with some but not all applicable ones performed.
 *   specific goal (ids in specific_goals, GG1): achieved when every objective of
 *                 the area is achieved; unanswered when every objective is
 *                 unanswered; not-achieved when every objective is not-achieved;
 *                 partial otherwise. An area without objectives cannot be assessed:
 *                 the goal is "not-assessable" and never achieved.
 *   other goal    the state of the set of its practices asked for the area; a goal
 *                 a level requires but that has no question in the area is
 *                 "not-assessable" (or absent) and never achieved.
 *   level         levels are checked in ascending order; an area holds a level when
 *                 every goal the level requires is achieved; checking stops at the
 *                 first level that does not hold. The level reached is the last
 *                 that held (0 when none did).
 *   shares        "practices performed" = performed / applicable practices, with
 *                 unanswered ones counted as not performed. Levels are counted
 *                 per level (distribution), never averaged.
 *
 * Results are keyed by id, so an id given twice keeps its first place and its
 * later score; src/scoring.rs does the same.
 */
var refbookScoring = (function () {
  "use strict";

  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function isObj(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function ids(list) { return (list || []).map(function (q) { return q.id; }); }

  /** A specific goal's state from its area's objective states. */
  function combine(states) {
    if (!states.length) return "not-assessable";
    var all = function (s) { return states.every(function (x) { return x === s; }); };
    if (all("achieved")) return "achieved";
    if (all("unanswered")) return "unanswered";
    if (all("not-achieved")) return "not-achieved";
    return "partial";
  }

  /** The survey data (window.REFBOOK_SURVEY) indexed once; the returned
   *  functions score any answers object ({id: {value, note}}) against it. */
  function prepare(survey) {
    var P = survey.performed_at;
    var onScale = {};
    (survey.scale || []).forEach(function (s) { onScale[String(s.value)] = true; });
    var levels = (survey.levels || []).slice().sort(function (a, b) { return a.level - b.level; });
    var specific = [];
    (survey.specific_goals || []).forEach(function (g) { if (specific.indexOf(g) < 0) specific.push(g); });

    function validValue(v) {
      if (v === "na") return !!survey.not_applicable;
      return typeof v === "number" && has(onScale, String(v));
    }
    /** The value that counts for scoring: a valid scale value, "na", or undefined. */
    function value(answers, id) {
      var e = isObj(answers) && has(answers, id) ? answers[id] : null;
      if (!isObj(e) || e.value === undefined || e.value === null) return undefined;
      return validValue(e.value) ? e.value : undefined;
    }
    function performed(v) { return typeof v === "number" && v >= P; }

    function setState(qids, answers) {
      var r = { total: qids.length, answered: 0, unanswered: 0, na: 0, performed: 0, applicable: 0, state: "" };
      qids.forEach(function (id) {
        var v = value(answers, id);
        if (v === undefined) return;
        r.answered++;
        if (v === "na") r.na++;
        else if (performed(v)) r.performed++;
      });
      r.unanswered = r.total - r.answered;
      r.applicable = r.total - r.na;
      if (r.total === 0) r.state = "not-assessable";
      else if (r.answered === 0) r.state = "unanswered";
      else if (r.answered === r.total && r.performed === r.applicable) r.state = "achieved";
      else if (r.answered === r.total && r.performed === 0) r.state = "not-achieved";
      else r.state = "partial";
      return r;
    }

    /** One area of survey.areas: objective and goal states, level, counts. */
    function scoreArea(area, answers) {
      var objectives = area.objectives || [];
      var goals = area.goals || [];
      var r = { code: area.code, objectives: {}, goals: {}, level: 0, assessable: objectives.length > 0 };
      objectives.forEach(function (o) { r.objectives[o.id] = setState(ids(o.practices), answers); });
      var objStates = objectives.map(function (o) { return r.objectives[o.id].state; });
      specific.forEach(function (g) { r.goals[g] = { state: combine(objStates) }; });
      goals.forEach(function (g) { r.goals[g.id] = setState(ids(g.questions), answers); });
      for (var i = 0; i < levels.length; i++) {
        var ok = (levels[i].requires || []).every(function (g) {
          return has(r.goals, g) && r.goals[g].state === "achieved";
        });
        if (!ok) break;
        r.level = levels[i].level;
      }
      var practiceIds = [], genericIds = [];
      objectives.forEach(function (o) { practiceIds = practiceIds.concat(ids(o.practices)); });
      goals.forEach(function (g) { genericIds = genericIds.concat(ids(g.questions)); });
      r.practices = setState(practiceIds, answers);
      r.generic = setState(genericIds, answers);
      r.answered = r.practices.answered + r.generic.answered;
      r.total = r.practices.total + r.generic.total;
      r.share = r.practices.applicable ? r.practices.performed / r.practices.applicable : null;
      return r;
    }

    /** Every area, keyed by code. */
    function score(answers) {
      var out = {};
      (survey.areas || []).forEach(function (a) { out[a.code] = scoreArea(a, answers); });
      return out;
    }

    return {
      validValue: validValue, value: value, performed: performed,
      setState: setState, scoreArea: scoreArea, score: score
    };
  }

  return {
    prepare: prepare,
    combine: combine,
    /** Shorthand for prepare(survey).score(answers). */
    score: function (survey, answers) { return prepare(survey).score(answers); }
  };
})();

if (typeof module === "object" && module.exports) module.exports = refbookScoring;
