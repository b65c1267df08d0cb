// The golden vectors of tests/oscal/results.json against the browser's OSCAL
// assessment results (themes/default/static/survey-oscal.js). tests/it/oscal.rs
// runs the same vectors against src/oscal/results.rs.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const oscal = require(path.join(__dirname, "../../themes/default/static/survey-oscal.js"));
const golden = JSON.parse(fs.readFileSync(path.join(__dirname, "../oscal/results.json"), "utf8"));

for (const c of golden.cases) {
  test(c.name, () => {
    assert.deepStrictEqual(oscal.assessmentResults(c.survey, c.files, c.now), c.expected);
  });
}

test("UUIDs are refbook's version 5 UUIDs (as src/oscal/ids.rs makes them)", () => {
  // The namespace's own UUID, and one name in it, as Python's uuid.uuid5 gives them.
  assert.equal(oscal.uuid("no-assessment-plan", ["mini"]), "1c757fb7-ab27-5fdb-8e56-c437fb40ea57");
  assert.notEqual(oscal.uuid("x", ["ab", "c"]), oscal.uuid("x", ["a", "bc"]));
  // Multi-byte text is hashed as UTF-8, past one SHA-1 block.
  assert.match(oscal.uuid("finding", ["Ünïcode ".repeat(20)]), /^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test("times to the second", () => {
  assert.equal(oscal.now(new Date(Date.UTC(2026, 11, 1, 3, 4, 5, 678))), "2026-12-01T03:04:05Z");
});
