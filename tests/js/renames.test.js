// Which answers move when a model renames ids: the vectors of
// tests/renames/cases.json against scoring.js's `renames` (the RENAMES RULE).
// tests/it/renames.rs runs the same cases against src/answers/renames.rs.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const scoring = require(path.join(__dirname, "../../themes/default/static/scoring.js"));
const cases = JSON.parse(fs.readFileSync(path.join(__dirname, "../renames/cases.json"), "utf8")).cases;

for (const c of cases) {
  test(c.name, () => {
    const asked = new Set(c.questions);
    const got = scoring.renames(c.renames, (id) => asked.has(id), c.answers);
    assert.deepEqual(got, { moved: c.moved, kept: c.kept });
  });
}
