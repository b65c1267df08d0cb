/* refbook team rules: several answer files of one model compared, as
 * `refbook report` compares them (src/report/team.rs, matrix.rs, history.rs,
 * consensus.rs). The results page's team view (survey-team.js) shows what
 * this computes.
 *
 * Pure: no DOM, no storage, no page. A plain script (no modules, so that it
 * works from file://) defining the one global `refbookTeam`; under node it is
 * also module.exports, which is how tests/js/team.test.js runs the golden
 * vectors of tests/team/vectors.json against it. tests/it/team_vectors.rs
 * holds src/report/ to the same vectors: change a rule in the README, here,
 * in src/report/ and in the vectors together.
 *
 * API
 *   refbookTeam.compare(survey, files, opts)  files: [{name, respondent,
 *       answers, scope: {areas_in_scope?, targets?}}] as the answer files give
 *       them; opts.consensus "min", "mode" or absent. Returns
 *       {duplicates: [[first file, second file]...]} when two files share a
 *       respondent key (nothing else is computed), else {teams, matrix,
 *       history, consensus}, each in the JSON shape of the report's fields of
 *       those names (consensus: [{organization, scope, date, rule, assessors,
 *       disputed, file, text}], text the file as `--consensus` writes it).
 *
 * TEAM RULES (also in the README, "A team's files")
 *   key        organization, scope, assessor, date of the file's respondent,
 *              "" where not given; two files of one key: both named, refused.
 *   team       the files of one (organization, scope, date), sorted by key,
 *              each with its files in the order given.
 *   counted    an answer as scoring counts it (a value on the scale; N/A
 *              offered, with a reason, on a practice that is not generic).
 *   compared   with two files or more: every question counted or noted by one
 *              of them; those every file answers with one value, without note
 *              or evidence, are `alike`; the others side by side.
 *   spread     lowest and highest value given, and how many scale steps apart.
 *   disputed   the values straddle performed_at (one performed, one not), or
 *              lie two steps apart or more, or N/A stands against a value.
 *              Unanswered is no claim. Nothing is averaged.
 *   matrix     per (organization, scope) at its latest date (dates compare as
 *              text), per area: how many files give each level, how many give
 *              none by status, performed and applicable practices over the
 *              files with the area in scope, the highest target and how many
 *              files with a level are below their target; `areas` the totals.
 *   history    per (organization, scope), per date (no date first): the min
 *              consensus of its files scored by the survey's rules, and the
 *              practices (not generic, areas in scope) that became performed
 *              or stopped being since the date before.
 *   consensus  per team of two or more: min takes the lowest value (N/A only
 *              when every answer is N/A, reasons joined "who: reason; ..."),
 *              mode the most frequent (a tie to the lower value, a value wins
 *              a tie with N/A); a disputed note starts "DISPUTED (why): Ann:
 *              3, Bob: 1", then each assessor's note "Bob: ..."; evidence the
 *              union by href; scope: every area when one file covers every
 *              area, else the union; per area the highest target.
 *
 * Loads after: scoring.js
 */
var refbookTeam = (function () {
  "use strict";

  var own = Object.prototype.hasOwnProperty;
  var scoring = typeof refbookScoring !== "undefined" ? refbookScoring
    : (typeof require === "function" ? require("./scoring.js") : null);
  var FIELDS = ["organization", "scope", "assessor", "date"];
  var WHY = {
    "straddles-performed": "performed by one answer, not by another",
    "two-steps-apart": "answers two steps of the scale apart or more",
    "na-and-value": "N/A in one answer, a value in another"
  };

  function isObj(x) { return x !== null && typeof x === "object" && !Array.isArray(x); }
  function get(o, k) { return isObj(o) && own.call(o, k) ? o[k] : undefined; }
  /** Strings compared as Rust compares them (arrays element by element). */
  function cmp(a, b) {
    for (var i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i] < b[i] ? -1 : 1;
    return 0;
  }
  /** Groups items by key (an array of strings), the groups sorted by key. */
  function groups(items, keyOf) {
    var map = {}, out = [];
    items.forEach(function (x) {
      var k = keyOf(x), s = JSON.stringify(k);
      if (!own.call(map, s)) { map[s] = { key: k, items: [] }; out.push(map[s]); }
      map[s].items.push(x);
    });
    return out.sort(function (a, b) { return cmp(a.key, b.key); });
  }
  function key(f) {
    return FIELDS.map(function (k) { var v = get(f.respondent, k); return typeof v === "string" ? v : ""; });
  }

  /** The survey indexed: questions in model order (an id given twice counts
   *  at its first place), the scale's steps, the area order. */
  function index(survey) {
    var questions = [], at = {};
    (survey.areas || []).forEach(function (a) {
      var add = function (q, generic) {
        if (own.call(at, q.id)) return;
        at[q.id] = questions.length;
        questions.push({ id: q.id, area: a.code, title: typeof q.title === "string" ? q.title : "", generic: generic });
      };
      (a.objectives || []).forEach(function (o) { (o.practices || []).forEach(function (q) { add(q, false); }); });
      (a.goals || []).forEach(function (g) { (g.questions || g.practices || []).forEach(function (q) { add(q, true); }); });
    });
    var scale = [];
    (survey.scale || []).forEach(function (s) { if (scale.indexOf(s.value) < 0) scale.push(s.value); });
    scale.sort(function (a, b) { return a - b; });
    return {
      survey: survey, rules: scoring.prepare(survey), questions: questions, at: at,
      P: survey.performed_at, areas: (survey.areas || []).map(function (a) { return a; }),
      step: function (v) { return scale.filter(function (s) { return s < v; }).length; }
    };
  }

  /** One file summarised: its areas scored, its counted answers and notes
   *  (model order), its evidence in the areas in scope. */
  function summary(ix, f) {
    var scope = isObj(f.scope) ? f.scope : {};
    var answers = isObj(f.answers) ? f.answers : {};
    var scores = ix.rules.assess(answers, scope);
    var areas = ix.areas.map(function (a) {
      var s = scores[a.code];
      return { id: a.code, status: s.status, level: s.level, target: s.target,
        performed: s.practices.performed, applicable: s.practices.applicable };
    });
    var kept = [];
    Object.keys(answers).forEach(function (id) {
      if (!own.call(ix.at, id)) return;
      var q = ix.questions[ix.at[id]], c = ix.rules.counted(answers, id, q.generic);
      var given = c && own.call(c, "value") ? { value: c.value } : (c && own.call(c, "na") ? { na: c.na } : null);
      var note = get(answers[id], "note");
      note = typeof note === "string" && note !== "" ? note : null;
      if (given || note !== null) kept.push({ question: ix.at[id], given: given, note: note });
    });
    kept.sort(function (a, b) { return a.question - b.question; });
    var evidence = {};
    ix.questions.forEach(function (q) {
      if (scores[q.area].status === "out-of-scope") return;
      var list = get(answers[q.id], "evidence");
      if (Array.isArray(list) && list.length) evidence[q.id] = list.map(function (e) {
        return { href: e.href, description: typeof e.description === "string" ? e.description : null };
      });
    });
    return { file: f.name, key: key(f), areas_in_scope: Array.isArray(scope.areas_in_scope) ? scope.areas_in_scope : null,
      areas: areas, kept: kept, evidence: evidence };
  }

  /** Per question (model order) every file's kept answer or null. */
  function byQuestion(files) {
    var at = {}, out = [];
    files.forEach(function (a, n) {
      a.kept.forEach(function (k) {
        if (!own.call(at, k.question)) {
          at[k.question] = { question: k.question, sides: files.map(function () { return null; }) };
          out.push(at[k.question]);
        }
        at[k.question].sides[n] = k;
      });
    });
    return out.sort(function (a, b) { return a.question - b.question; });
  }
  function givenOf(k) { return k ? k.given : null; }
  function valueOf(g) { return g === null ? null : (own.call(g, "value") ? g.value : "na"); }

  /** The spread of the values given, and why the answers are disputed. */
  function dispute(ix, given) {
    var values = [], na = false;
    given.forEach(function (g) {
      if (g && own.call(g, "value")) values.push(g.value);
      else if (g) na = true;
    });
    if (!values.length) return { spread: null, why: null };
    var low = Math.min.apply(null, values), high = Math.max.apply(null, values);
    var spread = { low: low, high: high, steps: ix.step(high) - ix.step(low) };
    var why = low < ix.P && high >= ix.P ? "straddles-performed"
      : spread.steps >= 2 ? "two-steps-apart" : na ? "na-and-value" : null;
    return { spread: spread, why: why };
  }

  function team(ix, k, files) {
    var t = { organization: k[0], scope: k[1], date: k[2],
      assessors: files.map(function (a) { return { assessor: a.key[2], file: a.file }; }),
      areas: files[0].areas.map(function (x, n) {
        return { id: x.id,
          levels: files.map(function (a) { return a.areas[n] ? a.areas[n].level : null; }),
          statuses: files.map(function (a) { return a.areas[n] ? a.areas[n].status : "not-assessed"; }) };
      }),
      questions: [], alike: [], disputed: [] };
    if (files.length < 2) return t;
    byQuestion(files).forEach(function (row) {
      var q = ix.questions[row.question], sides = row.sides;
      var first = givenOf(sides[0]);
      var same = sides.every(function (k, n) {
        return k && k.note === null && k.given && own.call(k.given, "value") && first && own.call(first, "value") &&
          k.given.value === first.value && !own.call(files[n].evidence, q.id);
      });
      if (same) { t.alike.push({ id: q.id, value: first.value }); return; }
      var given = sides.map(givenOf), d = dispute(ix, given);
      t.questions.push({ id: q.id, area: q.area, title: q.title,
        answers: sides.map(function (k, n) {
          var g = givenOf(k);
          return { value: valueOf(g), note: k ? k.note : null, reason: g && own.call(g, "na") ? g.na : null,
            evidence: own.call(files[n].evidence, q.id) ? files[n].evidence[q.id] : [] };
        }),
        spread: d.spread, disputed: d.why,
        unanswered: given.filter(function (g) { return g === null; }).length });
      if (d.why) t.disputed.push(q.id);
    });
    return t;
  }

  /* ---------- scope x area ---------- */

  function blankCell(id) {
    return { area: id, levels: [], states: [], performed: 0, applicable: 0, target: null, below_target: 0 };
  }
  function bump(list, v, rank) {
    for (var i = 0; i < list.length; i++) if (list[i].value === v) { list[i].files += 1; return; }
    var at = 0;
    while (at < list.length && rank(list[at].value) < rank(v)) at++;
    list.splice(at, 0, { value: v, files: 1 });
  }
  function addCell(c, x) {
    if (x.level !== null) bump(c.levels, x.level, function (l) { return l; });
    else bump(c.states, x.status, function (s) { return scoring.STATUSES.indexOf(s); });
    // A file that leaves the area out says nothing of its practices.
    if (x.status !== "out-of-scope") { c.performed += x.performed; c.applicable += x.applicable; }
    if (x.target !== null) {
      c.target = c.target === null ? x.target : Math.max(c.target, x.target);
      if (x.level !== null && x.level < x.target) c.below_target += 1;
    }
  }
  function matrix(ix, list) {
    if (!list.length) return { areas: [], rows: [] };
    var blank = function () { return list[0].areas.map(function (x) { return blankCell(x.id); }); };
    var totals = blank();
    var rows = groups(list, function (a) { return [a.key[0], a.key[1]]; }).map(function (g) {
      var latest = g.items.reduce(function (d, a) { return a.key[3] > d ? a.key[3] : d; }, g.items[0].key[3]);
      var row = { organization: g.key[0], scope: g.key[1], date: latest, files: 0, cells: blank() };
      g.items.forEach(function (a) {
        if (a.key[3] !== latest) return;
        row.files += 1;
        a.areas.forEach(function (x, n) {
          if (row.cells[n]) addCell(row.cells[n], x);
          if (totals[n]) addCell(totals[n], x);
        });
      });
      return row;
    });
    var names = {};
    ix.areas.forEach(function (a) { names[a.code] = typeof a.name === "string" ? a.name : ""; });
    return {
      areas: totals.map(function (t) { return { id: t.area, name: own.call(names, t.area) ? names[t.area] : "", total: t }; }),
      rows: rows
    };
  }

  /* ---------- consensus and dates ---------- */

  function pick(given, who, rule) {
    var values = [], na = [];
    given.forEach(function (g, n) {
      if (g && own.call(g, "value")) values.push(g.value);
      else if (g) na.push(who[n] === "" ? g.na : who[n] + ": " + g.na);
    });
    var asNa = function () { return { na: na.join("; ") }; };
    if (rule === "min") {
      if (values.length) return { value: Math.min.apply(null, values) };
      return na.length ? asNa() : null;
    }
    var counts = {}, best = null;
    values.forEach(function (v) { counts[v] = (counts[v] || 0) + 1; });
    values.slice().sort(function (a, b) { return a - b; }).forEach(function (v) {
      if (best === null || counts[v] > counts[best]) best = v;
    });
    if (best !== null && counts[best] >= na.length) return { value: best };
    return na.length ? asNa() : null;
  }
  function agree(ix, files, rule) {
    var who = files.map(function (a) { return a.key[2]; });
    return byQuestion(files).map(function (row) {
      var given = row.sides.map(givenOf);
      return { question: row.question, given: pick(given, who, rule), disputed: dispute(ix, given).why,
        sides: given, notes: row.sides.map(function (k) { return k ? k.note : null; }) };
    });
  }
  function teamScope(files) {
    var every = files.some(function (a) { return a.areas_in_scope === null; });
    var chosen = {};
    files.forEach(function (a) { (a.areas_in_scope || []).forEach(function (c) { chosen[c] = true; }); });
    var targets = {};
    files.forEach(function (a) {
      a.areas.forEach(function (x) {
        if (x.target !== null) targets[x.id] = own.call(targets, x.id) ? Math.max(targets[x.id], x.target) : x.target;
      });
    });
    var sorted = {};
    Object.keys(targets).sort().forEach(function (c) { sorted[c] = targets[c]; });
    var scope = { targets: sorted };
    if (!every) scope.areas_in_scope = files[0].areas.map(function (x) { return x.id; }).filter(function (c) { return own.call(chosen, c); });
    return scope;
  }
  function scoringAnswers(ix, agreed) {
    var out = {};
    agreed.forEach(function (a) {
      if (!a.given) return;
      var id = ix.questions[a.question].id;
      out[id] = own.call(a.given, "value") ? { value: a.given.value } : { value: "na", reason: a.given.na };
    });
    return out;
  }
  function history(ix, list) {
    return groups(list, function (a) { return [a.key[0], a.key[1]]; }).map(function (g) {
      var before = null;
      var dates = groups(g.items, function (a) { return [a.key[3]]; }).map(function (d) {
        var agreed = agree(ix, d.items, "min"), scope = teamScope(d.items);
        var scores = ix.rules.assess(scoringAnswers(ix, agreed), scope);
        var inScope = function (c) { return !scope.areas_in_scope || scope.areas_in_scope.indexOf(c) >= 0; };
        var performed = {};
        agreed.forEach(function (a) {
          var q = ix.questions[a.question];
          if (!q.generic && inScope(q.area) && a.given && own.call(a.given, "value") && a.given.value >= ix.P) performed[a.question] = true;
        });
        var ids = function (from, without) {
          return Object.keys(from).map(Number).filter(function (q) { return !own.call(without, q); })
            .sort(function (a, b) { return a - b; }).map(function (q) { return ix.questions[q].id; });
        };
        var point = { date: d.key[0], files: d.items.length,
          areas: ix.areas.map(function (a) { return { id: a.code, status: scores[a.code].status, level: scores[a.code].level }; }),
          became_performed: before ? ids(performed, before) : [], stopped_performed: before ? ids(before, performed) : [] };
        before = performed;
        return point;
      });
      return { organization: g.key[0], scope: g.key[1], dates: dates };
    });
  }

  function entry(ix, a, who, files) {
    var id = ix.questions[a.question].id, e = {}, lines = [];
    var name = function (n) { return n === "" ? "(no name)" : n; };
    if (a.given) e.value = own.call(a.given, "value") ? a.given.value : "na";
    if (a.disputed) lines.push("DISPUTED (" + WHY[a.disputed] + "): " + a.sides.map(function (g, n) {
      return name(who[n]) + ": " + (g === null ? "unanswered" : own.call(g, "value") ? String(g.value) : "N/A");
    }).join(", "));
    a.notes.forEach(function (note, n) { if (note !== null) lines.push(name(who[n]) + ": " + note); });
    if (lines.length) e.note = lines.join("\n");
    if (a.given && own.call(a.given, "na")) e.reason = a.given.na;
    var seen = {}, evidence = [];
    files.forEach(function (m) {
      (own.call(m.evidence, id) ? m.evidence[id] : []).forEach(function (x) {
        if (own.call(seen, x.href)) return;
        seen[x.href] = true;
        evidence.push({ href: x.href, description: x.description });
      });
    });
    if (evidence.length) e.evidence = evidence;
    return e;
  }
  function consensusFile(ix, t, files, rule) {
    var agreed = agree(ix, files, rule), who = files.map(function (a) { return a.key[2]; });
    var respondent = { assessor: "consensus (" + rule + ") of " + who.map(function (n) { return n === "" ? "(no name)" : n; }).join(", ") };
    if (t.date) respondent.date = t.date;
    if (t.organization) respondent.organization = t.organization;
    if (t.scope) respondent.scope = t.scope;
    var scope = teamScope(files);
    var file = { format: "refbook-survey", version: 2, model: typeof ix.survey.model === "string" ? ix.survey.model : "" };
    if (typeof ix.survey.model_version === "string") file.model_version = ix.survey.model_version;
    file.respondent = respondent;
    if (scope.areas_in_scope) file.areas_in_scope = scope.areas_in_scope;
    file.targets = scope.targets;
    file.answers = {};
    agreed.forEach(function (a) { file.answers[ix.questions[a.question].id] = entry(ix, a, who, files); });
    return { organization: t.organization, scope: t.scope, date: t.date, rule: rule, assessors: who,
      disputed: agreed.filter(function (a) { return a.disputed; }).length,
      file: file, text: JSON.stringify(file, null, 2) + "\n" };
  }

  function compare(survey, files, opts) {
    opts = opts || {};
    var seen = {}, duplicates = [];
    files.forEach(function (f) {
      var k = JSON.stringify(key(f));
      if (own.call(seen, k)) duplicates.push([seen[k], f.name]);
      else seen[k] = f.name;
    });
    if (duplicates.length) return { duplicates: duplicates };
    var ix = index(survey);
    var list = files.map(function (f) { return summary(ix, f); });
    var teamGroups = groups(list, function (a) { return [a.key[0], a.key[1], a.key[3]]; });
    var teams = teamGroups.map(function (g) { return team(ix, g.key, g.items); });
    var rule = opts.consensus === "min" || opts.consensus === "mode" ? opts.consensus : null;
    var consensus = rule ? teamGroups.filter(function (g) { return g.items.length > 1; }).map(function (g, n) {
      return consensusFile(ix, { organization: g.key[0], scope: g.key[1], date: g.key[2] }, g.items, rule);
    }) : [];
    return { teams: teams, matrix: matrix(ix, list), history: history(ix, list), consensus: consensus };
  }

  return { compare: compare, key: key, FIELDS: FIELDS, WHY: WHY };
})();

if (typeof module === "object" && module.exports) module.exports = refbookTeam;
