"""content/model.yaml: identity, notice (from seed 003), category summaries, clusters,
survey scale and capability levels (section 4.3.2)."""
from __future__ import annotations

import re
from pathlib import Path

from .seedtext import Doc, find_line, para, render_paragraphs
from .tables import CATEGORY_META, CLUSTERS, FIGURES, SCALE, SUMMARY_PATTERNS
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


def survey_introduction(doc: Doc) -> str:
    """001 §8.3.1's definition of a survey of practice (its first paragraph), as printed,
    with where it comes from."""
    n = find_line(doc, r"^8\.3\.1 Develop Surveys of Practice")
    text = render_paragraphs(para(doc, n + 1, n + 10)).split("\n\n")[0]
    assert text.startswith("A survey of practice is a basic tool") and text.endswith("perform processes."), text
    return f"> {text}\n>\n> — CMU/SEI-2007-TR-009, §8.3.1"


def figure_lines(cid: str) -> list[str]:
    """A cluster's figure: its number, the nodes that are no area, its relations."""
    if cid not in FIGURES:
        return []
    number, nodes, relations = FIGURES[cid]
    out = [f"    figure: {number}"]
    if nodes:
        out.append("    nodes:")
        out += [f"      - {{id: {i}, label: {label}}}" for i, label in nodes]
    out.append("    relations:")
    for a, b, label, directed in relations:
        both = "" if directed else " directed: false,"
        out.append(f"      - {{from: {a}, to: {b},{both} label: {label}}}")
    return out


def model_yaml(doc: Doc, seeds: Path, clusters: dict[str, str], areas) -> str:
    # Each document's own notice, verbatim; 001 and 000 print none (their footers carry
    # only the report number), so no page of their text shows 003's.
    notice = notice_003(seeds)
    out = ["id: cert-ref",
           "title: CERT Resiliency Engineering Framework",
           'version: "2007"',
           "source: CMU/SEI-2007-TR-009",
           "sources:",
           "  - id: tr-2007-009",
           "    short: CMU/SEI-2007-TR-009",
           "    year: 2007",
           "    citation: >-",
           "      *Introducing the CERT Resiliency Engineering Framework* (CMU/SEI-2007-TR-009, 2007):",
           "      the body of knowledge (categories, competency areas, objectives and practices, appendices",
           "      A–D), the category descriptions and clusters (§5.4–5.8), the capability levels (§4.3.2).",
           "  - id: tn-2006-009",
           "    short: CMU/SEI-2006-TN-009",
           "    year: 2006",
           "    citation: >-",
           "      *Sustaining Operational Resiliency: A Process Improvement Approach to Security",
           "      Management* (CMU/SEI-2006-TN-009, 2006): the notional process maturity (§4.3).",
           "  - id: rmm-gg",
           "    short: CERT-RMM v1.2, Generic Goals and Practices",
           "    year: 2016",
           "    citation: >-",
           "      CERT Resilience Management Model, Version 1.2: *Generic Goals and Practices* (February",
           "      2016): the generic goals and practices.",
           "    notice:" + scalar(notice, 6),
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
        out += figure_lines(cid)
        out.append("    description:" + scalar(clusters[cid], 6))
    out.append("survey:")
    out.append("  scale:")
    for v, label, desc in SCALE:
        out.append(f"    - value: {v}")
        out.append(f"      label: {label}")
        out.append(f"      description:{scalar(desc, 8)}")
    out.append("  introduction:" + scalar(survey_introduction(doc), 4))
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
