// The CSV answer files of tests/answers-csv/ (cases.json) against the
// browser's reader and writer (themes/default/static/survey-csv.js).
// tests/it/answers_csv.rs runs the same cases against src/answers/csv.rs.
"use strict";

const test = require("node:test");
const assert = require("node:assert/strict");
const fs = require("node:fs");
const path = require("node:path");

const csv = require(path.join(__dirname, "../../themes/default/static/survey-csv.js"));
const DIR = path.join(__dirname, "../answers-csv");
const cases = JSON.parse(fs.readFileSync(path.join(DIR, "cases.json"), "utf8"));
const read = (name) => fs.readFileSync(path.join(DIR, name), "utf8");
/** Plain objects, whatever their prototype (the reader's have none). */
const plain = (v) => JSON.parse(JSON.stringify(v));

/** The layout the survey would export with, taken from the file's own rows:
 *  its questions in their order, its areas without questions, the scale's
 *  words as its labels. */
function layoutOf(parsed) {
  const labels = new Map();
  const questions = parsed.rows.filter((r) => r.area !== "" && r.id !== "");
  for (const id of Object.keys(parsed.file.answers)) {
    const row = parsed.rows.find((r) => r.id === id);
    if (row.label !== "") labels.set(String(parsed.file.answers[id].value), row.label);
  }
  return {
    questions,
    // Areas with no question have a row of their own (area, no id): the model's
    // areas that the survey does not ask (SOM and PM of the shipped model).
    areas: parsed.rows.filter((r) => r.area !== "" && r.id === "").map((r) => ({ code: r.area, name: r.title })),
    label: (v) => labels.get(String(v)) || "not on the scale",
  };
}

for (const c of cases.good) {
  test(`${c.csv} holds ${c.json}`, () => {
    const got = csv.parse(read(c.csv));
    assert.deepEqual(got.errors, []);
    assert.deepEqual(plain(got.file), JSON.parse(read(c.json)));
  });
  if (c.canonical) {
    test(`${c.csv}: written again, the same bytes`, () => {
      const text = read(c.csv);
      const parsed = csv.parse(text);
      assert.equal(csv.format(parsed.file, layoutOf(parsed)), text);
    });
  }
}

for (const c of cases.broken) {
  test(`${c.csv} is refused at ${JSON.stringify(c.errors)}`, () => {
    const got = csv.parse(read(c.csv));
    assert.equal(got.file, null);
    const at = got.errors.map((e) => [e.line, e.col]).sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    assert.deepEqual(at, c.errors, JSON.stringify(got.errors, null, 1));
  });
}

test("formula cells are quoted, and only the quotes export put on come off", () => {
  const texts = ["=1+1", "+1", "-1", "@A1", "\tx", "\rx", "'=x", "''-x", "'x", "x'", "-", "", "a,b", "\"q\"", "-2+3", "é=", "\u6771\u4eac"];
  for (const t of texts) {
    const row = csv.cell(t);
    assert.ok(!/^[=+\-@\t\r]/.test(row.replace(/^"/, "")), `${JSON.stringify(t)} written ${JSON.stringify(row)}`);
    const file = { format: "refbook-survey", version: 2, model: "m", respondent: { organization: t },
      answers: { q: { value: 1, note: t } } };
    const layout = { questions: [{ area: "A", id: "q", title: t }], label: () => "one" };
    const text = csv.format(file, layout);
    const back = csv.parse(text);
    assert.deepEqual(back.errors, [], `${JSON.stringify(t)}: ${text}`);
    if (t !== "") assert.equal(back.file.answers.q.note, t);
    if (t !== "") assert.equal(back.file.respondent.organization, t);
    assert.equal(csv.format(back.file, layout), text, JSON.stringify(t));
  }
  // numbers the tool writes stay numbers, even negative ones
  assert.equal(csv.cell(-1), "-1");
});
