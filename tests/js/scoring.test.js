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
  return { assessable: r.assessable, level: r.level, objectives: states(r.objectives),
    goals: states(r.goals), practices: counts(r.practices), generic: counts(r.generic), share: r.share };
}
function caseSurvey(c) {
  if (c.survey) return c.survey;
  assert.ok(Object.prototype.hasOwnProperty.call(golden.models, c.model), `no model ${c.model}`);
  return golden.models[c.model];
}

test("the vectors are many enough to cover every rule", () => {
  assert.ok(golden.cases.length >= 40, `${golden.cases.length} cases`);
});

for (const c of golden.cases) {
  test(c.name, () => {
    const got = scoring.score(caseSurvey(c), c.answers);
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
  const got = context.refbookScoring.score(survey, { "A-1.1": { value: 3 } });
  assert.equal(got.A.objectives["A-1"].state, "partial");
});

test("odd answers objects score as unanswered without throwing", () => {
  const survey = golden.models["one-area"];
  for (const answers of [null, undefined, [], "x", 3]) {
    const got = scoring.score(survey, answers);
    assert.equal(got.A.practices.answered, 0, JSON.stringify(answers));
  }
  const s = scoring.prepare(survey);
  assert.equal(s.value({ "A-1.1": { value: 3 } }, "A-1.1"), 3);
  assert.equal(s.value({ "A-1.1": { value: "na" } }, "A-1.1"), "na");
  assert.equal(s.value({ "A-1.1": { value: 4 } }, "A-1.1"), undefined);
  assert.equal(s.performed(2), true);
  assert.equal(s.performed(1), false);
  assert.equal(s.performed("na"), false);
  assert.equal(s.performed(undefined), false);
});
