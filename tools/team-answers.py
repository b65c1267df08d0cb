#!/usr/bin/env python3
"""Writes answer files (refbook-survey, version 2) of a team, for `refbook report`.

    tools/team-answers.py SURVEY_DATA_JS OUT_DIR [--files N] [--seed S]

SURVEY_DATA_JS is a built site's assets/survey-data.js (the survey the
browser and `refbook report` score against). The files spread over
organizations, scopes, dates and assessors (5 assessors per scope and date,
4 dates per scope, 5 scopes per organization, as many organizations as N
needs), each answering every question of the model with a value of the
scale (N/A with a reason now and then, on practices only), a note on some,
so that teams agree on most questions and dispute some. Deterministic for
one seed. Used by bench/report.sh; the files are data, not fixtures.
"""
import json
import os
import random
import sys

ASSESSORS, DATES, SCOPES = 5, 4, 5


def survey(path):
    text = open(path, encoding="utf-8").read()
    start = text.index(".survey=") + len(".survey=")
    return json.loads(text[start:].rstrip().rstrip(";"))


def questions(s):
    for a in s["areas"]:
        for o in a.get("objectives", []):
            for p in o.get("practices", []):
                yield p["id"], False
        for g in a.get("goals", []):
            for q in g.get("questions", []):
                yield q["id"], True


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    opts = dict(a[2:].split("=", 1) for a in argv if a.startswith("--") and "=" in a)
    data_js, out = args[0], args[1]
    n = int(opts.get("files", "1000"))
    rng = random.Random(int(opts.get("seed", "17")))
    s = survey(data_js)
    scale = [p["value"] for p in s["scale"]]
    qs = list(questions(s))
    os.makedirs(out, exist_ok=True)
    per_org = ASSESSORS * DATES * SCOPES
    for i in range(n):
        org, rest = divmod(i, per_org)
        scope, rest = divmod(rest, ASSESSORS * DATES)
        date, assessor = divmod(rest, ASSESSORS)
        # A team's shared view of a question, which each assessor may shift.
        team = random.Random(f"{org}-{scope}-{date}")
        answers = {}
        for qid, generic in qs:
            base = team.choice(scale)
            r = rng.random()
            if r < 0.03 and not generic and s.get("not_applicable"):
                answers[qid] = {"value": "na", "reason": "Not done in this unit."}
                continue
            v = base
            if r < 0.15:
                v = rng.choice(scale)
            entry = {"value": v}
            if rng.random() < 0.1:
                entry["note"] = f"Seen in review {rng.randrange(1000)}; =SUM(A1)"
            answers[qid] = entry
        doc = {
            "format": "refbook-survey",
            "version": 2,
            "model": s["model"],
            "respondent": {
                "organization": f"Org {org:03d}",
                "scope": f"Service {scope}",
                "assessor": f"Assessor {assessor}",
                "date": f"{2023 + date}-06-30",
            },
            "targets": {a["code"]: 2 for a in s["areas"][:5]},
            "answers": answers,
        }
        if s.get("model_version"):
            doc["model_version"] = s["model_version"]
        with open(os.path.join(out, f"answers-{i:05d}.json"), "w", encoding="utf-8") as f:
            json.dump(doc, f, indent=1)


if __name__ == "__main__":
    main(sys.argv[1:])
