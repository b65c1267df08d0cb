// The golden vectors of tests/team/vectors.json against the browser's team
// rules (themes/default/static/team.js). tests/it/team_vectors.rs runs the
// same vectors against src/report/, and tests/it/scoring.rs runs this file.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const team = require(path.join(__dirname, "../../themes/default/static/team.js"));
const vectors = JSON.parse(fs.readFileSync(path.join(__dirname, "../team/vectors.json"), "utf8"));

/** A case's files as the results page holds them once read. */
function files(c) {
  return c.files.map((f) => {
    const scope = {};
    for (const k of ["areas_in_scope", "targets"]) if (Object.prototype.hasOwnProperty.call(f, k)) scope[k] = f[k];
    return { name: f.name, respondent: f.respondent, answers: f.answers, scope };
  });
}

test("the team vectors are many enough to cover the rules", () => {
  assert.ok(vectors.cases.length >= 12, `${vectors.cases.length} cases`);
});

for (const c of vectors.cases) {
  test(c.name, () => {
    const got = team.compare(vectors.model, files(c), { consensus: c.consensus });
    if (got.consensus) {
      for (const k of got.consensus) {
        // The text is the file, as --consensus writes it: pretty JSON, one newline.
        assert.equal(k.text, JSON.stringify(k.file, null, 2) + "\n");
        delete k.text;
      }
    }
    assert.deepEqual(got, c.expect);
  });
}

test("odd files: no throw, missing details are empty parts of the key", () => {
  const got = team.compare(vectors.model, [
    { name: "a.json", respondent: null, answers: null, scope: null },
    { name: "b.json", respondent: { assessor: "Bob" }, answers: { "A-1.1": { value: 3 } }, scope: {} },
  ], { consensus: "min" });
  assert.deepEqual(got.teams.map((t) => t.assessors.map((a) => a.assessor)), [["", "Bob"]]);
  assert.equal(got.consensus[0].file.respondent.assessor, "consensus (min) of (no name), Bob");
  assert.deepEqual(team.compare(vectors.model, [{ name: "x", respondent: {} }, { name: "y", respondent: {} }]),
    { duplicates: [["x", "y"]] });
});
