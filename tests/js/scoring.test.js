// The golden vectors of tests/scoring/golden.json against the browser's
// scoring (themes/default/static/scoring.js). tests/scoring.rs runs the same
// vectors against src/scoring.rs, and runs this file too.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");
const vm = require("node:vm");

const SCRIPT = path.join(__dirname, "../../themes/default/static/scoring.js");
const scoring = require(SCRIPT);
const golden = JSON.parse(fs.readFileSync(path.join(__dirname, "../scoring/golden.json"), "utf8"));

function counts(r) {
  return { total: r.total, answered: r.answered, unanswered: r.unanswered, na: r.na,
    applicable: r.applicable, performed: r.performed };
}
function states(byId) {
  const out = {};
  for (const id of Object.keys(byId)) out[id] = byId[id].state;
  return out;
}
/** An area's score in the shape of the vectors' `expect`. */
function shape(r) {
  return { status: r.status, assessable: r.assessable, level: r.level, target: r.target,
    objectives: states(r.objectives), goals: states(r.goals), practices: counts(r.practices),
    generic: counts(r.generic), share: r.share, not_applicable: r.not_applicable, flagged: r.flagged };
}
/** The case's scope, as a file holds it: only the fields the case gives. */
function caseScope(c) {
  const scope = {};
  for (const k of ["areas_in_scope", "targets"]) if (Object.prototype.hasOwnProperty.call(c, k)) scope[k] = c[k];
  return scope;
}
function caseSurvey(c) {
  if (c.survey) return c.survey;
  assert.ok(Object.prototype.hasOwnProperty.call(golden.models, c.model), `no model ${c.model}`);
  return golden.models[c.model];
}

test("the vectors are many enough to cover every rule", () => {
  assert.ok(golden.cases.length >= 80, `${golden.cases.length} cases`);
});

for (const c of golden.cases) {
  test(c.name, () => {
    const got = scoring.assess(caseSurvey(c), c.answers, caseScope(c));
    assert.deepEqual(Object.keys(got).sort(), Object.keys(c.expect).sort(), "areas");
    for (const code of Object.keys(c.expect)) {
      const want = c.expect[code];
      const have = shape(got[code]);
      // Shares are compared as floats: the vectors write 2/3 in decimal.
      if (want.share === null) assert.equal(have.share, null, `${code} share`);
      else assert.ok(Math.abs(have.share - want.share) < 1e-12, `${code} share ${have.share}, expected ${want.share}`);
      assert.deepEqual({ ...have, share: 0 }, { ...want, share: 0 }, code);
    }
  });
}

test("as a plain script it needs no DOM and defines one global", () => {
  const context = vm.createContext({});
  vm.runInContext(fs.readFileSync(SCRIPT, "utf8"), context, { filename: SCRIPT });
  assert.deepEqual(Object.keys(context), ["refbookScoring"]);
  assert.equal(typeof context.refbookScoring.prepare, "function");
  const survey = golden.models["one-area"];
  const got = context.refbookScoring.assess(survey, { "A-1.1": { value: 3 } });
  assert.equal(got.A.objectives["A-1"].state, "partial");
  assert.equal(got.A.status, "assessed");
});

test("odd answers objects and scopes score as unanswered and every area without throwing", () => {
  const survey = golden.models["one-area"];
  for (const answers of [null, undefined, [], "x", 3]) {
    for (const scope of [undefined, null, [], "A", 3, { areas_in_scope: "A", targets: null }]) {
      const got = scoring.assess(survey, answers, scope);
      assert.equal(got.A.practices.answered, 0, JSON.stringify([answers, scope]));
      assert.equal(got.A.status, "not-assessed", JSON.stringify([answers, scope]));
      assert.equal(got.A.level, null);
    }
  }
});

test("counted: what an answer counts as under the rules", () => {
  const s = scoring.prepare(golden.models["one-area"]);
  const a = { p: { value: 2 }, n: { value: "na", reason: "why" }, e: { value: "na", reason: " " }, o: { value: 9 } };
  assert.deepEqual(s.counted(a, "p", false), { value: 2 });
  assert.deepEqual(s.counted(a, "n", false), { na: "why" });
  assert.deepEqual(s.counted(a, "n", true), { flag: "na-on-generic-practice" });
  assert.deepEqual(s.counted(a, "e", false), { flag: "na-without-reason" });
  assert.equal(s.counted(a, "o", false), null);
  assert.equal(s.counted(a, "missing", false), null);
  assert.equal(scoring.isReason("\u00a0"), true);
  assert.equal(scoring.isReason(" \t\r\n"), false);
});

// The version-1 functions are gone: the survey scripts call assess.
test("no version-1 functions remain", () => {
  const survey = golden.models["one-area"];
  assert.equal(scoring.score, undefined);
  const s = scoring.prepare(survey);
  for (const k of ["score", "scoreArea", "setState", "value", "validValue", "performed"]) assert.equal(s[k], undefined, k);
  const all = { "A-1.1": { value: "na" }, "A-1.2": { value: "na" }, "A-2.1": { value: "na" },
    "A:GG2.GP1": { value: "na" }, "A:GG2.GP2": { value: "na" }, "A:GG3.GP1": { value: "na" } };
  const v2 = scoring.assess(survey, all).A;
  assert.equal(v2.status, "not-assessed");
  assert.equal(v2.level, null);
  assert.equal(v2.flagged.length, 6);
});
