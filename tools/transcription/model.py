"""content/model.yaml: identity, notice (from seed 003), category summaries, clusters,
survey scale and capability levels (section 4.3.2)."""
from __future__ import annotations

import re
from pathlib import Path

from .seedtext import Doc, find_line, para, render_paragraphs
from .tables import CATEGORY_META, CLUSTERS, SCALE, SUMMARY_PATTERNS
from .yamltext import scalar

SEED_003 = "003_92023b9875020fc8.txt"


def capability_levels(doc: Doc):
    s432 = find_line(doc, r"^\s*4\.3\.2 Describing Process Maturity")
    heads = {}
    for lvl, pat in ((0, r"^Level 0 – Incomplete"), (1, r"^Level 1 – Performed"),
                     (2, r"^Level 2 – Managed"), (3, r"^Level 3 – Defined"),
                     (4, r"^Levels 4 and 5")):
        heads[lvl] = find_line(doc, pat, s432)
    levels = []
    names = {0: "Incomplete", 1: "Performed", 2: "Managed", 3: "Defined"}
    req = {0: None, 1: ["GG1"], 2: ["GG1", "GG2"], 3: ["GG1", "GG2", "GG3"]}
    for lvl in range(4):
        text = render_paragraphs(para(doc, heads[lvl] + 1, heads[lvl + 1] - 1))
        entry = {"level": lvl, "name": names[lvl]}
        if req[lvl]:
            entry["requires"] = req[lvl]
        entry["description"] = text
        levels.append(entry)
    return levels


def notice_003(seeds: Path) -> str:
    lines = (seeds / SEED_003).read_text(encoding="utf-8").split("\n")
    block = [l.rstrip() for l in lines[23:42]]  # lines 24-42
    while block and not block[-1].strip():
        block.pop()
    while block and not block[0].strip():
        block.pop(0)
    # The asterisks of 003 mark a footnote-like remark; escape them so that Markdown
    # shows them instead of reading a list item.
    text = "\n".join(block)
    text = text.replace("use:* ", "use:\\* ").replace("\n* These restrictions", "\n\\* These restrictions")
    assert text.count("\\*") == 3, "notice of 003 changed"
    return text


def first_sentence(doc: Doc, cid: str, pattern: str) -> str:
    """The opening sentence of a category description (§5.5-5.8); for Engineering the
    second one, without its opening "Thus," (the errata page says so), because the
    first one describes resiliency management rather than the category."""
    n = find_line(doc, pattern, 1400)
    text = render_paragraphs(para(doc, n, n + 12)).split("\n\n")[0]
    sentences = re.findall(r".+?\.(?=\s|$)", text)
    s = sentences[1 if cid == "engineering" else 0].strip()
    if cid == "engineering":
        assert s.startswith("Thus, the competencies in the Engineering category"), s
        s = "T" + s[len("Thus, t"):]
    return s


def display_order(areas, cid: str) -> list[str]:
    """A category's areas in the order the appendices print them, each sub-group where its
    first area stands (Appendix C prints SOM between KIM and TM; §5.7.1 lists TM with the
    other asset areas, and the site shows areas by group)."""
    codes = [a for a in areas if a["category"] == cid]
    first = {}
    for i, a in enumerate(codes):
        first.setdefault(a.get("group"), i)
    return [a["code"] for a in sorted(codes, key=lambda a: first[a.get("group")])]


def model_yaml(doc: Doc, seeds: Path, clusters: dict[str, str], areas) -> str:
    notice = notice_003(seeds)
    notice += ("\n\nThe body of knowledge (categories, competency areas, objectives and practices) is "
               "transcribed from *Introducing the CERT Resiliency Engineering Framework* "
               "(CMU/SEI-2007-TR-009, 2007); the generic goals and practices from the CERT "
               "Resilience Management Model (CERT-RMM) v1.2.")
    out = ["id: cert-ref",
           "title: CERT Resiliency Engineering Framework",
           'version: "2007"',
           "source: CMU/SEI-2007-TR-009",
           "notice:" + scalar(notice, 2),
           "terms:",
           "  category: Category",
           "  area: Competency area",
           "  objective: Competency objective",
           "  practice: Practice",
           "  generic_goal: Generic goal",
           "  generic_practice: Generic practice",
           "categories:"]
    for cid, name in CATEGORY_META:
        out.append(f"  - id: {cid}")
        out.append(f"    areas: [{', '.join(display_order(areas, cid))}]")
        out.append(f"    name: {name}")
        out.append("    summary:" + scalar(first_sentence(doc, cid, SUMMARY_PATTERNS[cid]), 6))
    out.append("clusters:")
    for cid, name, members in CLUSTERS:
        out.append(f"  - id: {cid}")
        out.append(f"    name:{scalar(name, 6)}")
        out.append(f"    areas: [{', '.join(members)}]")
        out.append("    description:" + scalar(clusters[cid], 6))
    out.append("survey:")
    out.append("  scale:")
    for v, label, desc in SCALE:
        out.append(f"    - value: {v}")
        out.append(f"      label: {label}")
        out.append(f"      description:{scalar(desc, 8)}")
    out.append("  performed_at: 2")
    out.append("  not_applicable: true")
    out.append("capability_levels:")
    for lv in capability_levels(doc):
        out.append(f"  - level: {lv['level']}")
        out.append(f"    name: {lv['name']}")
        if "requires" in lv:
            out.append(f"    requires: [{', '.join(lv['requires'])}]")
        out.append("    description:" + scalar(lv["description"], 6))
    return "\n".join(out) + "\n"
