// The golden vectors of tests/scoring/roadmap.json against the browser's
// roadmap (themes/default/static/scoring.js, prepare(survey).roadmap).
// tests/it/scoring.rs runs the same vectors against src/scoring/roadmap.rs,
// and runs this file too.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const scoring = require(path.join(__dirname, "../../themes/default/static/scoring.js"));
const vectors = JSON.parse(fs.readFileSync(path.join(__dirname, "../scoring/roadmap.json"), "utf8"));

/** The case's scope, as a file holds it: only the fields the case gives. */
function caseScope(c) {
  const scope = {};
  for (const k of ["areas_in_scope", "targets"]) if (Object.prototype.hasOwnProperty.call(c, k)) scope[k] = c[k];
  return scope;
}

test("the roadmap vectors are many enough to cover the rule", () => {
  assert.ok(vectors.cases.length >= 15, `${vectors.cases.length} cases`);
});

for (const c of vectors.cases) {
  test(c.name, () => {
    assert.ok(Object.prototype.hasOwnProperty.call(vectors.models, c.model), `no model ${c.model}`);
    const got = scoring.prepare(vectors.models[c.model]).roadmap(c.answers, caseScope(c));
    assert.deepEqual(got, c.expect);
  });
}

test("the shorthand and odd inputs: no throw, nothing listed without targets", () => {
  const survey = vectors.models.ref;
  assert.deepEqual(scoring.roadmap(survey, { "A-1.1": { value: 3 } }, { targets: { A: 1 } }),
    scoring.prepare(survey).roadmap({ "A-1.1": { value: 3 } }, { targets: { A: 1 } }));
  for (const answers of [null, undefined, [], "x", 3]) {
    for (const scope of [undefined, null, [], "A", 3, { targets: null }, { targets: { A: "2" } }]) {
      assert.deepEqual(scoring.roadmap(survey, answers, scope), [], JSON.stringify([answers, scope]));
    }
  }
  const first = scoring.roadmap(survey, null, { targets: { A: 1 } });
  assert.equal(first[0].assess_first, true);
});
