"""The command line: read the seed, parse and check the areas, write content/."""
from __future__ import annotations

import argparse
import sys
from pathlib import Path

import yaml

from .areas import finish_areas, introduction_markdown, link_codes, parse_areas
from .categories import category_bodies
from .collaborators import collaborators_page
from .errata import errata_page, verify_printed
from .model import model_yaml
from .seedtext import HYPHEN_LOG, PARA_LOG, WARNINGS, Doc, load
from .tables import CLUSTERS, GROUPS
from .yamltext import area_yaml, check_area_file

TOOLS = Path(__file__).resolve().parents[1]
REPO = TOOLS.parent
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"


def main(argv=None, description=None):
    ap = argparse.ArgumentParser(description=description)
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    ap.add_argument("--out", type=Path, default=REPO / "content")
    ap.add_argument("--report", action="store_true", help="print the hyphenation and paragraph decisions")
    args = ap.parse_args(argv)

    doc = Doc(load(args.seeds))
    areas = parse_areas(doc)
    finish_areas(doc, areas)
    by_code = {a["code"]: a for a in areas}
    verify_printed(doc)
    codes = set(by_code)
    names = {a["code"]: a["name"] for a in areas}

    # ---- checks of the structure
    assert len(areas) == 24, len(areas)
    n_obj = sum(len(a["objectives"]) for a in areas)
    n_pr = sum(len(o["practices"]) for a in areas for o in a["objectives"])
    assert (n_obj, n_pr) == (82, 225), (n_obj, n_pr)
    ids = [x["id"] for a in areas for o in a["objectives"] for x in [o] + o["practices"]]
    assert len(ids) == len(set(ids)), "duplicate ids"

    for a in areas:
        a["group"] = GROUPS.get(a["code"])
        for r in a["related_out"]:
            if r["area"] not in codes:
                raise SystemExit(f"{a['code']}: related area {r['area']} unknown")
            r["note_md"] = link_codes(r["note"], codes, a["code"])
        if not a["objectives"]:
            status = " ".join(a["intro_paras"])
            assert "currently under review" in status
            a["status"] = status
            # The status notice carries these words; the page shows them once.
            a["intro_paras"] = []

    out = args.out
    (out / "areas").mkdir(parents=True, exist_ok=True)
    (out / "categories").mkdir(parents=True, exist_ok=True)
    (out / "pages").mkdir(parents=True, exist_ok=True)
    for a in areas:
        text = area_yaml(a) + introduction_markdown(doc, a) + "\n"
        check_area_file(text, a)
        (out / "areas" / f"{a['code']}.md").write_text(text, encoding="utf-8")

    cats, clusters = category_bodies(doc, names)
    for cid, body in cats.items():
        (out / "categories" / f"{cid}.md").write_text("---\n---\n" + body + "\n", encoding="utf-8")

    model = model_yaml(doc, args.seeds, clusters, areas)
    parsed = yaml.safe_load(model)
    assert "notice" not in parsed, "a model-wide notice would stand on pages of 001's text"
    notices = {s["id"]: s.get("notice") for s in parsed["sources"]}
    assert notices["rmm-gg"].startswith("Copyright 2016 Carnegie Mellon University")
    assert "DM-0003234" in notices["rmm-gg"] and not notices["tr-2007-009"]
    assert [c["id"] for c in parsed["clusters"]] == [c[0] for c in CLUSTERS]
    assert all(parsed["clusters"][i]["description"] == clusters[c[0]] for i, c in enumerate(CLUSTERS))
    (out / "model.yaml").write_text(model, encoding="utf-8")
    page = errata_page(doc, by_code)
    # Corrections made in content/generic/ (transcribed separately from 003).
    generic = (TOOLS / "errata-generic.md").read_text(encoding="utf-8")
    page = page.replace("## Not reproduced", generic + "\n## Not reproduced", 1)
    (out / "pages" / "errata.md").write_text(page, encoding="utf-8")
    (out / "pages" / "collaborators.md").write_text(collaborators_page(doc), encoding="utf-8")

    if args.report:
        for w in HYPHEN_LOG:
            print("hyphen:", w)
        for w in PARA_LOG:
            print("paragraph:", w)
    for w in WARNINGS:
        print("note:", w, file=sys.stderr)
    print(f"wrote {len(areas)} areas, {n_obj} objectives, {n_pr} practices to {out}")
