/* refbook survey scoring: the rules that turn answers into objective and goal
 * states, area statuses, capability levels and counts. The survey scripts
 * (survey-store.js and the form and results it feeds) show what this computes.
 *
 * Pure: no DOM, no storage, no page. A plain script (no modules, so that it
 * works from file://) defining the one global `refbookScoring`; under node it
 * is also module.exports, which is how tests/js/scoring.test.js runs the golden
 * vectors of tests/scoring/golden.json against it. src/scoring/ implements
 * the same rules for the command line and is held to the same vectors: change
 * a rule in the README, here, in src/scoring/ and in the vectors together.
 *
 * API
 *   refbookScoring.assess(survey, answers, scope)  the rules below, every area
 *                 keyed by code. `scope` is optional: {areas_in_scope, targets}
 *                 as an answer file holds them (absent: every area, no targets).
 *   refbookScoring.prepare(survey)  the survey indexed once: .assess(answers,
 *                 scope), .assessArea(area, answers, scope), .counted(answers,
 *                 id, generic), .roadmap(answers, scope). The survey scripts
 *                 call prepare(D).assess.
 *   refbookScoring.roadmap(survey, answers, scope)  the ROADMAP RULE below:
 *                 an array in area order of
 *                 {area, status, level, target, met, assess_first, steps:
 *                  [{level, blocked, unreachable, goals: [{id, items:
 *                   [{id, kind, objective, value}]}]}]}
 *                 (tests/scoring/roadmap.json pins it; src/scoring/roadmap.rs
 *                 gives the same JSON). Plans (owner, due, note) are not
 *                 scoring: the results page merges the file's `plan` by item id.
 *
 * SCORING RULES (also in the README section "The survey of practice")
 *   answer        an entry {value, note?, reason?, evidence?}; its value is a
 *                 scale value (number) or "na" (not applicable, when the model
 *                 offers it). A question with no such value is unanswered (a
 *                 note alone, a value off the scale or "na" where it is not
 *                 offered does not answer it).
 *   refused       "na" without a reason (text with something other than spaces,
 *                 tabs and line breaks), and "na" to a generic practice (a
 *                 question of a goal asked for the area), which cannot be not
 *                 applicable: the question counts as unanswered, and the answer
 *                 is listed in the area's `flagged` ({id, problem}, problem
 *                 "na-without-reason" or "na-on-generic-practice").
 *   performed     value >= survey.performed_at.
 *   applicable    every question of a set except those answered "na"; unanswered
 *                 questions stay in the set (they are not performed, yet).
 *   state of a set of questions (an objective's practices, or a generic goal's
 *   practices asked for one area), checked in this order:
 *     not-assessable the set has no question;
 *     unanswered    no question of the set is answered ("na" counts as answered);
 *     not-applicable every question is answered "na";
 *     achieved      every question is answered and every applicable one is
 *                   performed;
 *     not-achieved  every question is answered and none is performed;
 *     partial       anything else.
 *   specific goal (ids in specific_goals, GG1): over the area's objectives that
 *                 are not not-applicable: achieved when every one is achieved;
 *                 unanswered when every one is unanswered; not-achieved when
 *                 every one is not-achieved; partial otherwise. Not-applicable
 *                 when every objective is; not-assessable without objectives.
 *   other goal    the state of the set of its practices asked for the area; a goal
 *                 a level requires but that has no question in the area is
 *                 "not-assessable" (or absent) and never achieved.
 *   assessable    an area is, unless the survey data says `assessable: false`
 *                 (the model rules it out, with a `reason`) or it has no
 *                 practice. An area that is not counts no answer: its
 *                 objectives, goals and counts are those of no question.
 *   status        of an area, the first that holds: out-of-scope (scope lists
 *                 the areas and not this one); not-assessable (not assessable);
 *                 not-assessed (no question of the area answered); not-applicable
 *                 (every practice answered "na"); assessed.
 *   level         null unless assessed. Levels are checked in ascending order; an
 *                 area holds a level when every goal the level requires is
 *                 achieved; checking stops at the first level that does not hold.
 *                 The level reached is the last that held (0 when none did).
 *   target        scope.targets[code] when it is a safe integer, else null.
 *   lists         not_applicable: the practices answered "na", with reasons;
 *                 flagged: the refused answers; both in model order.
 *   shares        "practices performed" = performed / applicable practices, with
 *                 unanswered ones counted as not performed. Levels are counted
 *                 per level (distribution), never averaged.
 *
 * ROADMAP RULE (also in the README): what must become performed for each area
 * to reach its target, level by level.
 *   listed        every area with a target whose status is assessed or
 *                 not-assessed, in area order. Out-of-scope, not-assessable
 *                 and not-applicable areas, and areas without a target, are not.
 *   assess_first  not-assessed: listed with no steps (nobody assessed the area,
 *                 so no plan is made for it), met false.
 *   met           assessed with level >= target: no steps.
 *   steps         otherwise one per level of the model above the area's level
 *                 and at most its target, ascending (a target above the model's
 *                 levels gets steps up to the highest, and met stays false).
 *   goals         of a step: the goals its level requires that are not achieved
 *                 and not listed at a lower step (each goal once, at the first
 *                 level that needs it), in the model's goal order (the area's
 *                 goals as scored: specific goals, then those asked for the
 *                 area; then goals that only levels name). A step may list none.
 *   items         of a goal, in model order, each question once, those not
 *                 performed (unanswered, refused, or valued below
 *                 performed_at): for a goal asked for the area, its questions
 *                 (kind "generic", objective null); for a specific goal, the
 *                 practices not answered "na" of the objectives that are not
 *                 not-applicable (kind "practice", objective its id). `value` is
 *                 the scale value, "na" for a refused "na", null if unanswered.
 *   blocked       a listed goal with no item has no question in the area
 *                 (not-assessable): nothing answered can achieve it. The step
 *                 names the first such goal in `blocked` (else null); it and
 *                 every step above it have `unreachable` true, and keep their
 *                 goals and items.
 *
 * Results are keyed by id, so an id given twice keeps its first place and its
 * later score; src/scoring/ does the same. States, counts and lists are
 * those of the answers whatever the status; only the level depends on it.
 */
var refbookScoring = (function () {
  "use strict";

  function has(o, k) { return Object.prototype.hasOwnProperty.call(o, k); }
  function isObj(v) { return v !== null && typeof v === "object" && !Array.isArray(v); }
  function ids(list) { return (list || []).map(function (q) { return q.id; }); }
  function isReason(r) { return typeof r === "string" && /[^ \t\n\r]/.test(r); }

  /** A specific goal's state from its area's objective states. */
  function combine(states) {
    if (!states.length) return "not-assessable";
    var applicable = states.filter(function (s) { return s !== "not-applicable"; });
    if (!applicable.length) return "not-applicable";
    var all = function (s) { return applicable.every(function (x) { return x === s; }); };
    if (all("achieved")) return "achieved";
    if (all("unanswered")) return "unanswered";
    if (all("not-achieved")) return "not-achieved";
    return "partial";
  }

  /** The survey data's scale, levels and goals read once, and the rules of
   *  single answers and sets of questions over them. */
  function rulesOf(survey) {
    var P = survey.performed_at;
    var onScale = {};
    (survey.scale || []).forEach(function (s) { onScale[String(s.value)] = true; });
    var levels = (survey.levels || []).slice().sort(function (a, b) { return a.level - b.level; });
    var specific = [];
    (survey.specific_goals || []).forEach(function (g) { if (specific.indexOf(g) < 0) specific.push(g); });

    function entry(answers, id) {
      var e = isObj(answers) && has(answers, id) ? answers[id] : null;
      return isObj(e) ? e : null;
    }
    function performed(v) { return typeof v === "number" && v >= P; }

    /** What an answer counts as: {value: n}, {na: reason}, {flag: problem}
     *  (refused: unanswered), or null (unanswered). */
    function counted(answers, id, generic) {
      var e = entry(answers, id);
      if (!e || e.value === undefined || e.value === null) return null;
      if (e.value === "na") {
        if (!survey.not_applicable) return null;
        if (generic) return { flag: "na-on-generic-practice" };
        return isReason(e.reason) ? { na: e.reason } : { flag: "na-without-reason" };
      }
      return typeof e.value === "number" && has(onScale, String(e.value)) ? { value: e.value } : null;
    }

    function tally(qids, answers, generic) {
      var r = { total: qids.length, answered: 0, unanswered: 0, na: 0, performed: 0, applicable: 0, state: "",
        not_applicable: [], flagged: [] };
      qids.forEach(function (id) {
        var c = counted(answers, id, generic);
        if (!c) return;
        if (has(c, "flag")) { r.flagged.push({ id: id, problem: c.flag }); return; }
        r.answered++;
        if (has(c, "na")) { r.na++; r.not_applicable.push({ id: id, reason: c.na }); }
        else if (performed(c.value)) r.performed++;
      });
      r.unanswered = r.total - r.answered;
      r.applicable = r.total - r.na;
      if (r.total === 0) r.state = "not-assessable";
      else if (r.answered === 0) r.state = "unanswered";
      else if (r.na === r.total) r.state = "not-applicable";
      else if (r.answered === r.total && r.performed === r.applicable) r.state = "achieved";
      else if (r.answered === r.total && r.performed === 0) r.state = "not-achieved";
      else r.state = "partial";
      return r;
    }

    function levelOf(goals) {
      var level = 0;
      for (var i = 0; i < levels.length; i++) {
        var ok = (levels[i].requires || []).every(function (g) {
          return has(goals, g) && goals[g].state === "achieved";
        });
        if (!ok) break;
        level = levels[i].level;
      }
      return level;
    }

    return { survey: survey, levels: levels, specific: specific, performed: performed, counted: counted,
      tally: tally, levelOf: levelOf };
  }

  /** The survey data (refbook$data.survey) indexed once; the returned
   *  functions score any answers object ({id: {value, note, reason}}) against it. */
  function prepare(survey) {
    var R = rulesOf(survey);
    var specific = R.specific, counted = R.counted, tally = R.tally, levelOf = R.levelOf;

    /** Asked at all: the model does not rule the area out (`assessable: false`)
     *  and it has a practice. An area that cannot be assessed counts no answer. */
    function canAssess(area) {
      return area.assessable !== false && (area.objectives || []).some(function (o) {
        return ids(o.practices).length > 0;
      });
    }

    /** One area of survey.areas: status, objective and goal states, level,
     *  target, counts, and the N/A and refused answers. */
    function assessArea(area, answers, scope) {
      scope = isObj(scope) ? scope : {};
      var assessable = canAssess(area);
      var objectives = (area.objectives || []).map(function (o) {
        return assessable ? o : { id: o.id, practices: [] };
      });
      var goals = (area.goals || []).map(function (g) {
        return assessable ? g : { id: g.id, questions: [] };
      });
      var r = { code: area.code, status: "", level: null, target: null, objectives: {}, goals: {} };
      objectives.forEach(function (o) { r.objectives[o.id] = tally(ids(o.practices), answers, false); });
      var objStates = objectives.map(function (o) { return r.objectives[o.id].state; });
      var specificState = assessable ? combine(objStates) : "not-assessable";
      specific.forEach(function (g) { r.goals[g] = { state: specificState }; });
      goals.forEach(function (g) { r.goals[g.id] = tally(ids(g.questions), answers, true); });
      var practiceIds = [], genericIds = [];
      objectives.forEach(function (o) { practiceIds = practiceIds.concat(ids(o.practices)); });
      goals.forEach(function (g) { genericIds = genericIds.concat(ids(g.questions)); });
      var p = r.practices = tally(practiceIds, answers, false);
      var q = r.generic = tally(genericIds, answers, true);
      r.assessable = assessable;
      var list = scope.areas_in_scope;
      if (Array.isArray(list) && list.indexOf(area.code) < 0) r.status = "out-of-scope";
      else if (!assessable) r.status = "not-assessable";
      else if (p.answered + q.answered === 0) r.status = "not-assessed";
      else if (p.na === p.total) r.status = "not-applicable";
      else r.status = "assessed";
      if (r.status === "assessed") r.level = levelOf(r.goals);
      var t = isObj(scope.targets) && has(scope.targets, area.code) ? scope.targets[area.code] : null;
      r.target = Number.isSafeInteger(t) ? t : null;
      r.not_applicable = p.not_applicable;
      r.flagged = p.flagged.concat(q.flagged);
      r.answered = p.answered + q.answered;
      r.total = p.total + q.total;
      r.share = p.applicable ? p.performed / p.applicable : null;
      return r;
    }

    /** Every area, keyed by code. */
    function assess(answers, scope) {
      var out = {};
      (survey.areas || []).forEach(function (a) { out[a.code] = assessArea(a, answers, scope); });
      return out;
    }

    return { counted: counted, assessArea: assessArea, assess: assess,
      roadmap: roadmapRules(R, assessArea).roadmap };
  }

  /** The roadmap (see ROADMAP RULE) over the rules `R` and the area scoring. */
  function roadmapRules(R, assessArea) {
    var survey = R.survey, levels = R.levels, specific = R.specific, counted = R.counted, performed = R.performed;

    /** A goal's items not performed: practices of the applicable objectives
     *  for a specific goal, the goal's questions for the area otherwise. */
    function goalItems(area, gid, answers, scored, asked) {
      var items = [], seen = {};
      function add(id, kind, objective) {
        if (has(seen, id)) return;
        seen[id] = true;
        var c = counted(answers, id, kind === "generic");
        if (c && (has(c, "na") || performed(c.value))) return;
        var value = c ? (has(c, "flag") ? "na" : c.value) : null;
        items.push({ id: id, kind: kind, objective: objective, value: value });
      }
      if (has(asked, gid)) {
        ids(asked[gid].questions).forEach(function (id) { add(id, "generic", null); });
      } else if (specific.indexOf(gid) >= 0) {
        (area.objectives || []).forEach(function (o) {
          if (scored.objectives[o.id].state === "not-applicable") return;
          ids(o.practices).forEach(function (id) { add(id, "practice", o.id); });
        });
      }
      return items;
    }

    /** One area's entry of the roadmap (see ROADMAP RULE), or null when the
     *  area is not listed. */
    function roadmapArea(area, answers, scope) {
      var r = assessArea(area, answers, scope);
      if (r.target === null || (r.status !== "assessed" && r.status !== "not-assessed")) return null;
      var out = { area: r.code, status: r.status, level: r.level, target: r.target, met: false,
        assess_first: r.status === "not-assessed", steps: [] };
      if (out.assess_first) return out;
      out.met = r.level >= r.target;
      if (out.met) return out;
      var asked = {};
      (area.goals || []).forEach(function (g) { asked[g.id] = g; });
      // The model's goal order: the area's scored goals, then goals only levels name.
      var order = Object.keys(r.goals);
      levels.forEach(function (l) {
        (l.requires || []).forEach(function (g) { if (order.indexOf(g) < 0) order.push(g); });
      });
      var listed = {}, blocked = false;
      levels.forEach(function (l) {
        if (l.level <= r.level || l.level > r.target) return;
        var req = l.requires || [];
        var step = { level: l.level, blocked: null, unreachable: blocked, goals: [] };
        order.forEach(function (g) {
          if (req.indexOf(g) < 0 || has(listed, g)) return;
          if (has(r.goals, g) && r.goals[g].state === "achieved") return;
          listed[g] = true;
          var items = goalItems(area, g, answers, r, asked);
          if (!items.length && step.blocked === null) step.blocked = g;
          step.goals.push({ id: g, items: items });
        });
        if (step.blocked !== null) blocked = step.unreachable = true;
        out.steps.push(step);
      });
      return out;
    }

    /** The roadmap: an entry per area with a target, in area order. */
    function roadmap(answers, scope) {
      var byCode = {}, codes = [];
      (survey.areas || []).forEach(function (a) {
        if (!has(byCode, a.code)) codes.push(a.code);
        byCode[a.code] = a;
      });
      var out = [];
      codes.forEach(function (code) {
        var entry = roadmapArea(byCode[code], answers, scope);
        if (entry) out.push(entry);
      });
      return out;
    }

    return { roadmap: roadmap };
  }

  /* RENAMES RULE: answers given to ids a later version of the model renamed
   * (`replaces`) move to the new ids. The same rule as src/answers/renames.rs,
   * both held to tests/renames/cases.json (README, "Versions of a model").
   * `map` is the survey data's `renames` (old id -> new id: practices and area
   * codes); an `AREA:GP` answer follows its area. An answer moves when its id
   * is no question and its new id is one; it stays when the new id has its own
   * answer ("answered") or another answer moves there too ("shared"). */
  function renameTarget(map, id) {
    if (has(map, id)) return map[id];
    var i = id.indexOf(":");
    if (i < 0) return null;
    var area = id.slice(0, i);
    return has(map, area) ? map[area] + id.slice(i) : null;
  }
  /** {moved: [[old, new]], kept: [[old, new, why]]}, each in old-id order. */
  function renames(map, isQuestion, answered) {
    var wanted = [], claims = Object.create(null), given = Object.create(null);
    answered.forEach(function (id) { given[id] = true; });
    if (isObj(map)) answered.forEach(function (id) {
      if (isQuestion(id)) return;
      var to = renameTarget(map, id);
      if (to === null || !isQuestion(to)) return;
      wanted.push([id, to]);
      claims[to] = (claims[to] || 0) + 1;
    });
    wanted.sort(function (a, b) { return a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0; });
    var out = { moved: [], kept: [] };
    wanted.forEach(function (w) {
      if (given[w[1]] === true) out.kept.push([w[0], w[1], "answered"]);
      else if (claims[w[1]] > 1) out.kept.push([w[0], w[1], "shared"]);
      else out.moved.push(w);
    });
    return out;
  }

  return {
    renames: renames,
    prepare: prepare,
    combine: combine,
    isReason: isReason,
    /** The area statuses, in the order they are decided. */
    STATUSES: ["out-of-scope", "not-assessable", "not-assessed", "not-applicable", "assessed"],
    /** Shorthand for prepare(survey).roadmap(answers, scope). */
    roadmap: function (survey, answers, scope) { return prepare(survey).roadmap(answers, scope); },
    /** Shorthand for prepare(survey).assess(answers, scope). */
    assess: function (survey, answers, scope) { return prepare(survey).assess(answers, scope); }
  };
})();

if (typeof module === "object" && module.exports) module.exports = refbookScoring;
