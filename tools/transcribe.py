#!/usr/bin/env python3
"""Transcribe the CERT Resiliency Engineering Framework (CMU/SEI-2007-TR-009) into
refbook's source format.

Reads the plain-text conversion of the report (shared seed 001) and writes

    content/areas/<CODE>.md          24 competency areas (appendices A-D)
    content/categories/<id>.md       4 category descriptions (sections 5.5-5.8)
    content/model.yaml               identity, notice, categories, clusters, survey, levels
    content/pages/errata.md          every correction made to the printed text

Usage:  python3 tools/transcribe.py [--seeds DIR] [--out CONTENT_DIR] [--report]

The conversion undoes the artefacts of the PDF-to-text conversion only (line-end
hyphenation, mojibake quotes, page furniture, lost bullets, footnote digits glued to
words, blank lines inside sentences).  Misprints of the report itself are corrected
only where the tables CORRECTIONS below say so, and every one of them is listed on the
errata page; everything else is kept as printed.  Needs Python 3.11 and PyYAML.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve()
REPO = HERE.parents[1]
DEFAULT_SEEDS = REPO.parent / "shared" / "seeds"
SEED_001 = "001_bf8e1acf2f44f8ea.txt"
SEED_003 = "003_92023b9875020fc8.txt"

# --------------------------------------------------------------------------------------
# Tables of hand decisions (all visible on the errata page where they change the text)
# --------------------------------------------------------------------------------------

CATEGORY_LABELS = {
    "ENTERPRISE": "enterprise",
    "ENGINEERING": "engineering",
    "OPERATIONS": "operations",
    "PROCESS MANAGEMENT": "process-management",
}

# Appendix of each category: the printed category label must agree with it.
APPENDIX_CATEGORY = {"A": "enterprise", "B": "engineering", "C": "operations", "D": "process-management"}

# Sub-groups of sections 5.6.1, 5.7.1 and 5.8.1 (Enterprise Management has none).
GROUPS = {
    "RRD": "Requirements Management", "RRM": "Requirements Management",
    "ADM": "Asset Management",
    "SM": "Establishing and Managing Resiliency", "CM": "Establishing and Managing Resiliency",
    "SAM": "Supplier Management", "SRM": "Supplier Management",
    "VM": "Threat and Incident Management", "IMC": "Threat and Incident Management",
    "AMC": "Threat and Incident Management",
    "HRM": "Asset Resiliency Management", "ECFM": "Asset Resiliency Management",
    "KIM": "Asset Resiliency Management", "TM": "Asset Resiliency Management",
    "SOM": "Security Operations Management",
    "MON": "Data Collection and Logging",
    "PM": "Process Management", "MA": "Process Management",
}

# Words of a line-end hyphenation that are real compounds (keep the hyphen).  The
# script also keeps a hyphen by itself when the hyphenated form occurs elsewhere in the
# report and the joined form does not; this table settles the cases it cannot see.
KEEP_HYPHEN: set[str] = {"service-critical", "day-to-day"}

# Blank lines after a sentence-final line that are page breaks, not paragraph ends
# (keyed by the seed line number of the first line after the blank).  A blank line
# after a line that ends a sentence normally ends the paragraph; `--report` lists the
# doubtful cases (a full-width line before the blank), which were checked by hand:
# in the report the last line of a paragraph carries two trailing spaces, a line
# broken by a page break one; only this one is a page break.
CONTINUES_AFTER_BLANK: dict[int, str] = {
    5072: "MA introduction: the line before is full width; the sentence 'And, for plans ...' "
          "continues the paragraph across a page break",
}

# Misprint corrections.  Each entry: seed line, element id, what, printed, published.
CORRECTIONS = [
    # (line, element, field, printed, published, explanation)
    (3304, "COMM-1.3", "id", "Practice COMP-1.3", "Practice COMM-1.3",
     "The third practice of COMM-1 is printed with the id COMP-1.3, which belongs to "
     "Compliance Management (line 2898) and is not unique."),
    (5206, "MON", "related", "ACM – Access Management and Control",
     "AMC – Access Management and Control",
     "No area ACM exists; Access Management and Control is AMC."),
    (4632, "HRM", "category", "ENTERPRISE", "Operations",
     "HRM is printed in Appendix C (Operations) and listed under Operations in §5.7.1 "
     "(line 1685); the category label printed on its page says ENTERPRISE."),
    (4356, "IMC-1", "title", "ESTABLISH INCIDENT MANAGEMENT AND CONTROL PROCESS",
     "Establish Incident Management and Control Process",
     "Printed in capitals like a practice title; every other objective title is in Title Case."),
    (4296, "VM-4.3", "statement", "utilized in other related organizational processes",
     "utilized in other related organizational processes.",
     "The statement has no final period."),
    (5052, "MA", "name", "MA – Measurement and Analysis22", "MA – Measurement and Analysis",
     "Footnote marker 22 glued to the area name; the footnote is kept as a footnote of the "
     "introduction."),
    (1715, "[[operations]] (§5.7.2), supplier cluster", "text", "as shown in Figure 12.17",
     "as shown in Figure 12. (footnote 17)",
     "Footnote marker 17 glued to the figure number; the footnote is kept as a footnote."),
    (3002, "FRM → RISK", "related", "RISK –Risk Management", "RISK – Risk Management",
     "Spacing of the related-competency heading."),
    (4815, "KIM → RISK", "related", "RISK– Risk Management", "RISK – Risk Management",
     "Spacing of the related-competency heading."),
    (4941, "TM → RISK", "related", "RISK– Risk Management", "RISK – Risk Management",
     "Spacing of the related-competency heading."),
    (4213, "VM → MON", "related", "MON - Monitoring", "MON – Monitoring",
     "Hyphen instead of an en dash in the related-competency heading."),
    (4339, "IMC → MON", "related", "MON - Monitoring", "MON – Monitoring",
     "Hyphen instead of an en dash in the related-competency heading."),
    (3662, "ADM → HRM, OTA", "related",
     "HRM – Human Resources Management and OTA – Organizational Training and Awareness",
     "two entries, HRM and OTA, each with the printed note",
     "One heading names two areas; a related entry names one area."),
    (3497, "RRD introduction", "table", "Confidentiality --  -- -- / Integrity -- / Availability (blank cells)",
     "✓ in every cell that is not printed “--”",
     "The check marks of the table were lost in the conversion (the same table is Table 2 "
     "of §3.1.2, lines 739-743); only the “--” cells survived. They are restored from the "
     "“--” pattern: confidentiality applies to information only, integrity to information, "
     "technology and facilities, availability to all four asset types (as §2.2 and §3.1.2 state)."),
]

# Statements that are printed twice (the second occurrence is probably a copy of a
# neighbour).  Kept as printed because the intended text is not known.
DUPLICATES = [
    ("SAM-3", 4082, "SAM-2", 4074),
    ("SRM-2", 4144, "SRM-1", 4131),
    ("HRM-3.1", 4734, "HRM-3.2", 4738),
]

# Misprints kept as printed (fidelity): (seed line, element, printed, probably meant)
KEPT = [
    (4034, "SAM introduction", "Suppler Relationship Management", "Supplier Relationship Management"),
    (3113, "RISK introduction", "unable to meet is mission", "unable to meet its mission"),
    (4778, "KIM introduction", "the ration of tangible assets", "the ratio of tangible assets"),
    (4919, "TM introduction", "through master of basic IT capabilities", "through mastery of basic IT capabilities"),
    (5079, "MA introduction", "typically view from a practitioner level", "typically viewed from a practitioner level"),
    (4207, "VM related (IMC)", "require organization attention", "require organizational attention"),
    (5208, "MON related (AMC)", "and or changes", "and/or changes"),
    (5010, "TM-5", "information assets (in Technology Management)", "technology assets (the statement repeats KIM-4's wording)"),
    (None, "AMC-1.3", "statement worded as an imperative", "every other statement describes an outcome"),
    (1697, "[[operations]] (§5.7.2)", "two important clusters of related competencies in the Engineering category",
     "… in the Operations category (the section describes the Operations category)"),
]

SMALL_WORDS = {"a", "an", "and", "as", "at", "by", "for", "in", "of", "on", "or", "the", "to", "with",
               "vs."}  # "RISK VS. REWARD" (FRM-5.1) reads "risk vs. reward" in the text
ACRONYMS = {"IT"}

# --------------------------------------------------------------------------------------
# Reading the seed
# --------------------------------------------------------------------------------------

MOJIBAKE = {"\u2015": "\u201c", "\u2016": "\u201d"}
FOOTER = re.compile(r"^\s*(\d+ \| CMU/SEI-2007-TR-009|SOFTWARE ENGINEERING INSTITUTE \| \d+)\s*$")
TERMINAL = re.compile(r"[.!?:;”)]$")

WARNINGS: list[str] = []
HYPHEN_LOG: list[str] = []
PARA_LOG: list[str] = []


def load(seeds: Path):
    text = (seeds / SEED_001).read_text(encoding="utf-8")
    raw = text.split("\n")
    lines = {}
    for i, line in enumerate(raw, start=1):
        for bad, good in MOJIBAKE.items():
            line = line.replace(bad, good)
        lines[i] = line.rstrip()
    return lines


class Doc:
    def __init__(self, lines: dict[int, str]):
        self.lines = lines
        # All the text, one line per seed line, for the hyphenation lookup.
        self.flat = "\n".join(lines[i] for i in sorted(lines))

    def occurs(self, word: str) -> bool:
        return re.search(r"(?<![A-Za-z-])" + re.escape(word) + r"(?![A-Za-z])", self.flat, re.I) is not None


def join_hyphen(doc: Doc, left: str, right: str, lineno: int) -> str:
    """left ends with 'x-', right starts the next line.  Return the joined text."""
    m1 = re.search(r"([A-Za-z][A-Za-z-]*)-$", left)
    m2 = re.match(r"([A-Za-z][A-Za-z-]*)", right)
    if not m1 or not m2:
        return left + right
    a, b = m1.group(1), m2.group(1)
    hyph = f"{a}-{b}"
    joined = f"{a}{b}"
    keep = hyph.lower() in KEEP_HYPHEN
    if not keep:
        # a hyphen that belongs to a compound printed elsewhere on one line
        h_seen = doc.occurs(hyph)
        j_seen = doc.occurs(joined)
        if h_seen and not j_seen:
            keep = True
            HYPHEN_LOG.append(f"line {lineno}: kept hyphen in {hyph!r} (printed so elsewhere)")
    if keep:
        return left + right
    return left[:-1] + right


def join_lines(doc: Doc, numbered: list[tuple[int, str]]) -> str:
    """Join wrapped lines of one paragraph into one line of text."""
    out = ""
    for n, line in numbered:
        s = line.strip()
        if not s:
            continue
        if not out:
            out = s
        elif re.search(r"[A-Za-z]-$", out):
            out = join_hyphen(doc, out, s, n)
        elif out.endswith("—") or s.startswith("—"):
            out = out + s
        else:
            out = out + " " + s
    return re.sub(r"\s+", " ", out).strip()


def chunks(numbered: list[tuple[int, str]]):
    """Split numbered lines at blank lines."""
    cur: list[tuple[int, str]] = []
    for n, line in numbered:
        if line.strip():
            cur.append((n, line))
        elif cur:
            yield cur
            cur = []
    if cur:
        yield cur


def is_bullet(chunk, prev_text: str | None) -> bool:
    if len(chunk) != 1:
        return False
    n, line = chunk[0]
    s = line.strip()
    return (line.startswith(" ") and not TERMINAL.search(s) and len(s) < 80
            and prev_text is not None and not TERMINAL.search(prev_text))


def markdown_paragraphs(doc: Doc, numbered: list[tuple[int, str]]) -> list[str]:
    """Paragraphs (and '- ' bullet items) of a run of seed lines.

    A blank line ends a paragraph only when the text before it ends a sentence and the
    text after it does not start in lower case (blank lines inside sentences are page
    breaks of the PDF).  A one-line chunk indented by one space that follows an
    unpunctuated line is a bullet whose glyph was lost.
    """
    paras: list[list[tuple[int, str]]] = []
    kinds: list[str] = []
    prev_text = None
    for ch in chunks(numbered):
        first_n, first = ch[0]
        if is_bullet(ch, prev_text) or (
                kinds and kinds[-1] == "li" and len(ch) == 1 and ch[0][1].startswith(" ")
                and not TERMINAL.search(ch[0][1].strip())):
            paras.append(ch)
            kinds.append("li")
        elif paras and kinds[-1] == "p" and (
                not TERMINAL.search(prev_text)
                or first.strip()[:1].islower()
                or first_n in CONTINUES_AFTER_BLANK):
            paras[-1] = paras[-1] + ch
        else:
            if paras and kinds[-1] == "p" and len(paras[-1][-1][1].strip()) >= 95:
                PARA_LOG.append(f"line {first_n}: paragraph break after a full-width line "
                                f"ending a sentence: {first.strip()[:50]!r}")
            paras.append(ch)
            kinds.append("p")
        prev_text = ch[-1][1].strip()
    out = []
    for kind, p in zip(kinds, paras):
        t = join_lines(doc, p)
        out.append(("- " + t) if kind == "li" else t)
    return out


def render_paragraphs(paras: list[str]) -> str:
    """Join paragraphs; consecutive list items form one tight list."""
    out = []
    for i, p in enumerate(paras):
        if i and not (p.startswith("- ") and paras[i - 1].startswith("- ")):
            out.append("")
        out.append(p)
    return "\n".join(out)


# --------------------------------------------------------------------------------------
# Appendices A-D
# --------------------------------------------------------------------------------------

AREA_HEAD = re.compile(r"^([A-Z]{2,4}) ?[–-] ?(\S.*?)$")
OBJ_HEAD = re.compile(r"^Objective ([A-Z]+-\d+)\s+(\S.*)$")
PRAC_HEAD = re.compile(r"^Practice ([A-Z]+-\d+\.\d+)\s+(\S.*)$")
APPENDIX_HEAD = re.compile(r"^Appendix ([A-E]) ")
SECTIONS = {"Purpose", "Introduction", "Related Competencies", "Competency Objectives and Practices"}


def title_case(s: str) -> str:
    words = s.split()
    out = []
    for i, w in enumerate(words):
        parts = w.split("-")
        conv = []
        for j, p in enumerate(parts):
            if p.upper() in ACRONYMS and p.isupper():
                conv.append(p)
            elif (i > 0 or j > 0) and p.lower() in SMALL_WORDS:
                conv.append(p.lower())
            else:
                conv.append(p[:1].upper() + p[1:].lower())
        out.append("-".join(conv))
    return " ".join(out)


def find_appendix_range(lines):
    start = end = None
    for n in sorted(lines):
        s = lines[n].strip()
        if start is None and s.startswith("Appendix A CERT Resiliency Engineering Framework"):
            start = n
        if s.startswith("Appendix E Collaborators"):
            end = n
    assert start and end, "appendix headings not found"
    return start, end


def parse_areas(doc: Doc):
    lines = doc.lines
    start, end = find_appendix_range(lines)
    nums = [n for n in range(start, end) if n in lines]

    # drop page furniture and the one footnote body of the appendices
    skip = set()
    for n in nums:
        if FOOTER.match(lines[n]):
            skip.add(n)
        if re.match(r"^\s*22  A significant portion", lines[n]):
            skip.add(n)
    body = [(n, lines[n]) for n in nums if n not in skip]

    def next_nonblank(idx):
        for j in range(idx + 1, len(body)):
            if body[j][1].strip():
                return body[j][1].strip()
        return ""

    areas = []
    area = None
    appendix = None
    section = None
    related = None
    obj = None
    prac = None
    buf: list[tuple[int, str]] = []
    in_appendix_intro = False

    def flush():
        nonlocal buf
        target = current_target()
        if target is not None:
            target.extend(buf)
        buf = []

    def current_target():
        if prac is not None:
            return prac["_lines"]
        if obj is not None:
            return obj["_lines"]
        if related is not None:
            return related["_lines"]
        if area is not None and section in ("Purpose", "Introduction"):
            return area["_" + section.lower()]
        return None

    i = 0
    while i < len(body):
        n, raw = body[i]
        s = raw.strip()
        m_app = APPENDIX_HEAD.match(s)
        if m_app:
            flush()
            appendix = m_app.group(1)
            area = obj = prac = related = None
            section = None
            in_appendix_intro = True
            i += 1
            continue
        if s in CATEGORY_LABELS:
            i += 1
            continue
        m_area = AREA_HEAD.match(s)
        if m_area and next_nonblank(i) in CATEGORY_LABELS:
            flush()
            code, name = m_area.group(1), m_area.group(2)
            label = next_nonblank(i)
            area = {"code": code, "name_printed": name, "label": label, "line": n,
                    "appendix": appendix, "_purpose": [], "_introduction": [],
                    "related": [], "objectives": []}
            areas.append(area)
            section = None
            obj = prac = related = None
            in_appendix_intro = False
            i += 1
            continue
        if in_appendix_intro:
            i += 1
            continue
        if s in SECTIONS:
            flush()
            section = s
            obj = prac = related = None
            i += 1
            continue
        if section == "Related Competencies" and m_area:
            flush()
            related = {"heading": s, "line": n, "_lines": []}
            area["related"].append(related)
            i += 1
            continue
        m_obj = OBJ_HEAD.match(s)
        if m_obj:
            flush()
            prac = None
            related = None
            obj = {"id": m_obj.group(1), "title_printed": m_obj.group(2).strip(), "line": n,
                   "_lines": [], "practices": []}
            area["objectives"].append(obj)
            i += 1
            continue
        m_pr = PRAC_HEAD.match(s)
        if m_pr:
            flush()
            title = m_pr.group(2).strip()
            # a practice title printed in capitals may wrap onto the next non-blank line
            j = i + 1
            while j < len(body):
                t = body[j][1].strip()
                if not t:
                    j += 1
                    continue
                if t == t.upper() and re.search(r"[A-Z]{3}", t) and not PRAC_HEAD.match(t) \
                        and not OBJ_HEAD.match(t):
                    title += " " + t
                    j += 1
                    continue
                break
            prac = {"id": m_pr.group(1), "title_printed": title, "line": n, "_lines": []}
            obj["practices"].append(prac)
            i = j
            continue
        buf.append((n, raw))
        i += 1
    flush()
    return areas


def finish_areas(doc: Doc, areas):
    corrections_applied = []
    for a in areas:
        code = a["code"]
        name = re.sub(r"(?<=[a-z])\d+$", "", a["name_printed"]).strip()
        a["name"] = name
        a["category"] = APPENDIX_CATEGORY[a["appendix"]]
        if CATEGORY_LABELS[a["label"]] != a["category"]:
            WARNINGS.append(f"{code}: label {a['label']} differs from appendix {a['appendix']} "
                            f"(corrected to {a['category']})")
            corrections_applied.append((code, "category"))
        purpose = join_lines(doc, a["_purpose"])
        a["purpose"] = purpose
        intro = markdown_paragraphs(doc, a["_introduction"])
        a["intro_paras"] = intro
        # related competencies
        rel = []
        for r in a["related"]:
            head = r["heading"]
            note = render_paragraphs(markdown_paragraphs(doc, r["_lines"]))
            targets = re.findall(r"(?:^|and )([A-Z]{2,4}) ?[–-] ?", head)
            for t in targets:
                if t == "ACM":
                    t = "AMC"
                    corrections_applied.append(("MON", "ACM"))
                rel.append({"area": t, "note": note, "heading": head, "line": r["line"]})
        a["related_out"] = rel
        for o in a["objectives"]:
            o["statement"] = join_lines(doc, o["_lines"])
            t = o["title_printed"]
            o["title"] = title_case(t) if t == t.upper() else t
            if t == t.upper():
                corrections_applied.append((o["id"], "title"))
            for p in o["practices"]:
                if not p["id"].startswith(code + "-"):
                    fixed = code + p["id"][p["id"].index("-"):]
                    WARNINGS.append(f"{p['id']} printed inside {code} at line {p['line']}: published as {fixed}")
                    p["id_printed"] = p["id"]
                    p["id"] = fixed
                p["statement"] = join_lines(doc, p["_lines"])
                p["title"] = title_case(p["title_printed"])
                if not p["statement"].endswith("."):
                    WARNINGS.append(f"{p['id']}: statement without final period (added)")
                    p["statement"] += "."
                if not p["id"].startswith(o["id"] + "."):
                    raise SystemExit(f"practice {p['id']} not under objective {o['id']}")
            if not o["statement"].endswith("."):
                WARNINGS.append(f"{o['id']}: statement without final period (added)")
                o["statement"] += "."
    return corrections_applied


# --------------------------------------------------------------------------------------
# Special rendering of introductions
# --------------------------------------------------------------------------------------

RRD_TABLE = """\
| Requirement | People | Information | Technology | Facilities |
| --- | :-: | :-: | :-: | :-: |
| Confidentiality | -- | ✓ | -- | -- |
| Integrity | -- | ✓ | ✓ | ✓ |
| Availability | ✓ | ✓ | ✓ | ✓ |"""

MA_FOOTNOTE = ("[^22]: A significant portion of this competency area is based on the MA "
               "process area as described in CMMI models.")


def introduction_markdown(a) -> str:
    paras = list(a["intro_paras"])
    code = a["code"]
    if code == "RRD":
        # The table of requirements per asset type sits between the second and the third
        # paragraph; its cells were flattened into short lines ('Requirement', 'Asset',
        # 'People Information ...', 'Confidentiality --  -- --', 'Integrity --',
        # 'Availability') and its check marks were lost.  Cut those lines out and put the
        # table back.
        lines = a["_introduction"]
        first = next(i for i, (n, l) in enumerate(lines) if l.strip() == "Requirement")
        last = next(i for i, (n, l) in enumerate(lines) if l.strip() == "Availability")
        cut = " ".join(l.strip() for n, l in lines[first:last + 1] if l.strip())
        expected = "Requirement Asset People Information Technology Facilities Confidentiality -- -- -- Integrity -- Availability"
        if re.sub(r"\s+", " ", cut) != expected:
            raise SystemExit(f"RRD table changed: {cut!r}")
        paras = (markdown_paragraphs(DOC, lines[:first]) + [RRD_TABLE]
                 + markdown_paragraphs(DOC, lines[last + 1:]))
    if code == "MA":
        idx = next(i for i, p in enumerate(paras) if p.startswith("Measurement and Analysis represents"))
        paras[idx] = paras[idx].replace("Measurement and Analysis represents",
                                        "Measurement and Analysis[^22] represents", 1)
        paras.append(MA_FOOTNOTE)
    return render_paragraphs(paras)


# --------------------------------------------------------------------------------------
# Categories (sections 5.4-5.8), clusters, capability levels (4.3.2)
# --------------------------------------------------------------------------------------

def seed_range(doc: Doc, a: int, b: int) -> list[tuple[int, str]]:
    return [(n, doc.lines[n]) for n in range(a, b + 1)
            if n in doc.lines and not FOOTER.match(doc.lines[n])]


def find_line(doc: Doc, pattern: str, after: int = 1) -> int:
    rx = re.compile(pattern)
    for n in sorted(doc.lines):
        if n >= after and rx.search(doc.lines[n]):
            return n
    raise SystemExit(f"pattern not found: {pattern}")


def para(doc: Doc, a: int, b: int) -> list[str]:
    return markdown_paragraphs(doc, seed_range(doc, a, b))


def numbered_items(doc: Doc, a: int, b: int) -> str:
    """A numbered list printed as '1. text' paragraphs."""
    items = []
    cur: list[tuple[int, str]] = []
    for n, line in seed_range(doc, a, b):
        if re.match(r"^\s*\d\. ", line):
            if cur:
                items.append(cur)
            cur = [(n, line)]
        elif cur:
            cur.append((n, line))
    if cur:
        items.append(cur)
    return "\n".join(join_lines(doc, it) for it in items)


def code_list(codes, names) -> str:
    return "\n".join(f"- [[{c}]] – {names[c]}" for c in codes)


def category_bodies(doc: Doc, names: dict[str, str]):
    L = lambda pat, after=1400: find_line(doc, pat, after)  # noqa: E731
    s55 = L(r"^5\.5 ENTERPRISE MANAGEMENT")
    s551 = L(r"^5\.5\.1 ")
    s56 = L(r"^5\.6 ENGINEERING")
    s561 = L(r"^5\.6\.1 ")
    s562 = L(r"^5\.6\.2 ")
    s563 = L(r"^5\.6\.3 ")
    s57 = L(r"^5\.7 OPERATIONS")
    s571 = L(r"^5\.7\.1 ")
    s572 = L(r"^5\.7\.2 ")
    s58 = L(r"^\s*5\.8 PROCESS MANAGEMENT")
    s581 = L(r"^5\.8\.1 ")
    s582 = L(r"^5\.8\.2 ")
    s6 = L(r"^\s*6 Beginning a Process Improvement Effort")

    def rng(a, b):
        return render_paragraphs(para(doc, a, b))

    cats = {}
    clusters = {}

    # ---- 5.5 Enterprise Management
    app_a = L(r"current body of knowledge for Enterprise Management competencies", s551)
    cats["enterprise"] = "\n\n".join([
        rng(s55 + 1, s551 - 1),
        "## Enterprise Management Competencies",
        "The competencies that represent the Enterprise Management category include",
        code_list(["EF", "COMP", "FRM", "RISK", "COMM", "OTA"], names),
        join_lines(doc, seed_range(doc, app_a, app_a)),
    ])

    # ---- 5.6 Engineering
    broad = L(r"^Engineering competencies can be described", s56)
    first_item = L(r"^1\. Requirements management", s56)
    app_b = L(r"current body of knowledge for Engineering competencies", s56)
    asset_cluster = L(r"^Asset cluster", s562)
    asset_list = L(r"People: HRM", s562)
    depicted = L(r"This is depicted in Figure 10", s562)
    fig10 = L(r"^Figure 10:", s562)
    standard = L(r"^In each of the competency areas that address asset resiliency", s562)
    sel = L(r"selection of a subset of assets", s562)
    while_ = L(r"^While this results in some overlap", s562)
    fig11 = L(r"^Figure 11:", s563)
    asset_intro = rng(asset_cluster + 1, asset_list - 1)
    asset_bullets = "\n".join([
        "- People: [[HRM]] – Human Resources Management and [[OTA]] – Organizational Training and Awareness",
        "- Information: [[KIM]] – Knowledge and Information Management",
        "- Technology: [[TM]] – Technology Management",
        "- Facilities: [[ECFM]] – Environmental Control and Facilities Management",
    ])
    check = join_lines(doc, seed_range(doc, asset_list, depicted - 1))
    for probe in ("People: HRM", "Information: KIM", "Technology: TM", "Facilities: ECFM"):
        assert probe in check, probe
    std_intro = join_lines(doc, seed_range(doc, standard, sel - 1))
    # the four items are bullets whose glyphs were lost; some wrap onto a second line
    std_items = ["- " + p.removeprefix("- ") for p in _split_lost_bullets(doc, sel, while_ - 1)]
    asset_desc = "\n\n".join([
        asset_intro,
        asset_bullets,
        join_lines(doc, seed_range(doc, depicted, depicted)),
        std_intro,
        "\n".join(std_items),
        rng(while_, s563 - 1),
    ])
    protect_desc = render_paragraphs(para(doc, s563 + 1, fig11 - 1))
    clusters["asset"] = asset_desc
    clusters["protect-sustain"] = protect_desc
    eng_rel_intro = rng(s562 + 1, asset_cluster - 1)
    cats["engineering"] = "\n\n".join([
        rng(s56 + 1, broad - 1),
        join_lines(doc, seed_range(doc, broad, broad)),
        numbered_items(doc, first_item, app_b - 1),
        join_lines(doc, seed_range(doc, app_b, app_b)),
        "## Engineering Competencies",
        "The Engineering competencies include",
        "### Requirements Management",
        code_list(["RRD", "RRM"], names),
        "### Asset Management",
        code_list(["ADM"], names),
        "### Establishing and Managing Resiliency",
        code_list(["SM", "CM"], names),
        "## Important Engineering Competency Relationships",
        eng_rel_intro,
        "### Asset cluster",
        asset_desc.replace("This is depicted in Figure 10.",
                           "This is depicted in Figure 10.\n\n*Figure 10: Asset Resiliency Management Cluster*"),
        "### Relationship Between Controls Management and Sustainability Management",
        protect_desc,
        "*Figure 11: Protect and Sustain Cluster*",
    ])

    # ---- 5.7 Operations
    broad = L(r"^Operations competencies can be expressed", s57)
    first_item = L(r"^1\. Sourcing addresses", s57)
    app_c = L(r"body of knowledge for Operations competencies", s57)
    sup = L(r"^Supplier cluster", s572)
    fig12 = L(r"^Figure 12:", s572)
    vir = L(r"^Vulnerability, incident, and risk cluster", s572)
    fig13text = L(r"^Figure 13 is a simple illustration", s572)
    fig13 = L(r"^Figure 13:", s572)
    fn17 = L(r"^17  SAM and SRM", s572)
    sup_desc = rng(sup + 1, fig12 - 1)
    if "Figure 12.17" not in sup_desc:
        raise SystemExit("footnote 17 marker not found")
    sup_desc = sup_desc.replace("Figure 12.17", "Figure 12.[^17]")
    fn17_text = join_lines(doc, seed_range(doc, fn17, fn17 + 2))
    fn17_text = "[^17]: " + fn17_text.removeprefix("17 ").strip()
    vir_desc = rng(vir + 1, fig13 - 1)
    clusters["supplier"] = sup_desc + "\n\n" + fn17_text
    clusters["vulnerability-incident-risk"] = vir_desc
    cats["operations"] = "\n\n".join([
        rng(s57 + 1, broad - 1),
        join_lines(doc, seed_range(doc, broad, broad)),
        numbered_items(doc, first_item, app_c - 1),
        join_lines(doc, seed_range(doc, app_c, app_c)),
        "## Operations Competencies",
        "The Operations competencies include",
        "### Supplier Management",
        code_list(["SAM", "SRM"], names),
        "### Threat and Incident Management",
        code_list(["VM", "IMC", "AMC"], names),
        "### Asset Resiliency Management",
        code_list(["HRM", "ECFM", "KIM", "TM"], names),
        "### Security Operations Management",
        code_list(["SOM"], names),
        "## Important Operations Competency Relationships",
        rng(s572 + 1, sup - 1),
        "### Supplier cluster",
        sup_desc,
        "*Figure 12: Supplier Management Cluster*",
        "### Vulnerability, incident, and risk cluster",
        vir_desc,
        "*Figure 13: Vulnerability, Incident, and Risk Cluster*",
        fn17_text,
    ])

    # ---- 5.8 Process Management
    broad = L(r"^Process Management competencies can be expressed", s58)
    first_item = L(r"^1\. Data collection and logging", s58)
    app_d = L(r"body of knowledge for Process Management competencies", s58)
    mon = L(r"^Monitoring cluster", s582)
    shown = L(r"relationships in the Monitoring cluster are shown in Figure 14", s582)
    mon_desc = rng(mon + 1, shown)
    clusters["monitoring"] = mon_desc
    cats["process-management"] = "\n\n".join([
        rng(s58 + 1, broad - 1),
        join_lines(doc, seed_range(doc, broad, broad)),
        numbered_items(doc, first_item, app_d - 1),
        join_lines(doc, seed_range(doc, app_d, app_d)),
        "## Process Management Competencies",
        "The initial Process Management competencies include",
        "### Data Collection and Logging",
        code_list(["MON"], names),
        "### Process Management",
        code_list(["PM", "MA"], names),
        "## Important Process Management Competency Relationships",
        rng(s582 + 1, mon - 1),
        "### Monitoring cluster",
        mon_desc,
        "*Figure 14: Monitoring Cluster*",
    ])
    # cross-check the printed lists of 5.x.1 against the tables used above
    for sec, nxt in ((s551, s56), (s561, s562), (s571, s572), (s581, s582)):
        printed = [m.group(1) for n, line in seed_range(doc, sec + 1, nxt - 1)
                   for m in [re.match(r"^\s*([A-Z]{2,4}) – ", line)] if m]
        for c in printed:
            assert c in names, c
    return cats, clusters


def _split_lost_bullets(doc: Doc, a: int, b: int) -> list[str]:
    """Items whose bullet glyph was lost: each starts with a line indented by one space."""
    items, cur = [], []
    for n, line in seed_range(doc, a, b):
        if not line.strip():
            continue
        if line.startswith(" ") and not line.startswith("  ") and cur and not re.search(r"[a-z]-$", cur[-1][1].rstrip()):
            items.append(cur)
            cur = []
        cur.append((n, line))
    if cur:
        items.append(cur)
    return [join_lines(doc, it) for it in items]


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


# --------------------------------------------------------------------------------------
# YAML writing
# --------------------------------------------------------------------------------------

def wrap(text: str, width: int = 88) -> list[str]:
    words = text.split(" ")
    lines, cur = [], ""
    for w in words:
        if cur and len(cur) + 1 + len(w) > width:
            lines.append(cur)
            cur = w
        else:
            cur = (cur + " " + w) if cur else w
    if cur:
        lines.append(cur)
    return lines


def scalar(value: str, indent: int) -> str:
    """YAML text for a string value after 'key:' (including the leading space)."""
    pad = " " * indent
    if "\n" in value:
        body = "\n".join((pad + l) if l else "" for l in value.split("\n"))
        return " |-\n" + body
    plain_ok = (re.fullmatch(r"[A-Za-z0-9(][^\n]*", value) is not None
                and ": " not in value and " #" not in value and not value.endswith(":")
                and not re.fullmatch(r"(?i)(yes|no|true|false|null|on|off|~|[-+0-9.e]+)", value))
    if len(value) > 80 and "  " not in value and not value.startswith(" "):
        return " >-\n" + "\n".join(pad + l for l in wrap(value))
    if plain_ok:
        return " " + value
    return " " + json.dumps(value, ensure_ascii=False)


def area_yaml(a) -> str:
    out = ["---", f"code: {a['code']}", f"name:{scalar(a['name'], 2)}", f"category: {a['category']}"]
    if a.get("group"):
        out.append(f"group:{scalar(a['group'], 2)}")
    if a.get("status"):
        out.append(f"status:{scalar(a['status'], 2)}")
    out.append(f"purpose:{scalar(a['purpose'], 2)}")
    if a["related_out"]:
        out.append("related:")
        for r in a["related_out"]:
            out.append(f"  - area: {r['area']}")
            out.append(f"    note:{scalar(r['note_md'], 6)}")
    else:
        out.append("related: []")
    if a["objectives"]:
        out.append("objectives:")
        for o in a["objectives"]:
            out.append(f"  - id: {o['id']}")
            out.append(f"    title:{scalar(o['title'], 6)}")
            out.append(f"    statement:{scalar(o['statement'], 6)}")
            out.append("    practices:")
            for p in o["practices"]:
                out.append(f"      - id: {p['id']}")
                out.append(f"        title:{scalar(p['title'], 10)}")
                out.append(f"        statement:{scalar(p['statement'], 10)}")
    else:
        out.append("objectives: []")
    out.append("---")
    return "\n".join(out) + "\n"


def front_matter(text: str) -> dict:
    lines = text.split("\n")
    assert lines[0] == "---"
    end = lines.index("---", 1)
    return yaml.safe_load("\n".join(lines[1:end])) or {}


def check_area_file(text: str, a) -> None:
    """The YAML written by hand must read back as exactly the values meant."""
    fm = front_matter(text)
    assert fm["code"] == a["code"] and fm["name"] == a["name"] and fm["purpose"] == a["purpose"], a["code"]
    assert fm.get("status") == a.get("status") and fm.get("group") == a.get("group"), a["code"]
    assert [(r["area"], r["note"]) for r in fm["related"]] == [(r["area"], r["note_md"]) for r in a["related_out"]]
    got = [(o["id"], o["title"], o["statement"], [(p["id"], p["title"], p["statement"]) for p in o["practices"]])
           for o in fm["objectives"]]
    want = [(o["id"], o["title"], o["statement"], [(p["id"], p["title"], p["statement"]) for p in o["practices"]])
            for o in a["objectives"]]
    assert got == want, a["code"]


def link_codes(text: str, codes: set[str], own: str) -> str:
    """Write the first mention of another area's code in a related note as a
    cross-reference [[CODE]] (it still reads as the code)."""
    seen = {own}

    def repl(m):
        c = m.group(1)
        if c in codes and c not in seen:
            seen.add(c)
            return f"[[{c}]]"
        return c
    return re.sub(r"(?<![\w\[-])([A-Z]{2,4})(?![\w\]-])", repl, text)


# --------------------------------------------------------------------------------------
# Errata page
# --------------------------------------------------------------------------------------

def link_elem(elem: str) -> str:
    """Element names of the tables: ids become cross-references."""
    return re.sub(r"(?<![\w\[])([A-Z]{2,4}(?:-\d+(?:\.\d+)?)?)(?![\w\]])", r"[[\1]]", elem)


def md_cell(s: str) -> str:
    return s.replace("|", "\\|").replace("\n", " ")


def verify_printed(doc: Doc):
    """Every 'printed' text of the tables must be on the seed line it cites."""
    def near(line, text):
        window = join_lines(doc, [(n, doc.lines.get(n, "")) for n in range(line, line + 3)])
        return re.sub(r"\s+", " ", text) in re.sub(r"\s+", " ", window)
    for line, elem, field, printed, published, why in CORRECTIONS:
        if field in ("table",):
            continue
        if not near(line, printed):
            raise SystemExit(f"correction table: {printed!r} not printed at line {line}")
    for line, elem, printed, meant in KEPT:
        if line and not printed.startswith(("information assets", "statement")) and not near(line, printed):
            raise SystemExit(f"kept table: {printed!r} not printed at line {line}")
    for elem, line, same, sline in DUPLICATES:
        a, b = doc.lines[line].strip(), doc.lines[sline].strip()
        if a != b:
            raise SystemExit(f"duplicate table: lines {line} and {sline} differ")


def errata_page(areas_by_code) -> str:
    stmt = {}
    for a in areas_by_code.values():
        for o in a["objectives"]:
            stmt[o["id"]] = o["statement"]
            for p in o["practices"]:
                stmt[p["id"]] = p["statement"]
    out = ["---", "title: Errata", "order: 90", "---",
           "This edition transcribes the body of knowledge of *Introducing the CERT Resiliency "
           "Engineering Framework* (CMU/SEI-2007-TR-009, appendices A–D) from a plain-text "
           "conversion of the report. Artefacts of the conversion are undone everywhere without "
           "further notice: words split at line ends are joined, the quotation marks the "
           "conversion garbled are restored, page headers and footers are removed, list bullets "
           "the conversion dropped are restored, and practice titles printed in capitals are "
           "written in title case. The two footnotes of the transcribed text (17 and 22) are "
           "kept as footnotes, and the area codes named in the related-competency notes are "
           "links. Everything else is as printed, except the corrections listed on this page. "
           "The one-sentence summaries of the four categories are sentences of their "
           "descriptions (the Engineering one without its opening “Thus,”).",
           "",
           "## Corrections",
           "",
           "Line numbers refer to the plain-text conversion of the report "
           "(`001_bf8e1acf2f44f8ea.txt`).",
           "",
           "| element | printed | published | source | why |",
           "| --- | --- | --- | --- | --- |"]
    for line, elem, field, printed, published, why in CORRECTIONS:
        out.append(f"| {md_cell(link_elem(elem))} | {md_cell(printed)} | {md_cell(published)} | "
                   f"001, line {line} | {md_cell(why)} |")
    out += ["",
            "## Duplicated statements",
            "",
            "These statements repeat the statement of a neighbouring element word for word. "
            "The intended text is not known, so they are published as printed.",
            "",
            "| element | printed (same as) | statement | source |",
            "| --- | --- | --- | --- |"]
    for elem, line, same, sline in DUPLICATES:
        assert stmt[elem] == stmt[same], (elem, same)
        out.append(f"| [[{elem}]] | same as [[{same}]] (line {sline}) | {md_cell(stmt[elem])} | 001, line {line} |")
    out += ["",
            "## Kept as printed",
            "",
            "These slips are published as printed, for fidelity to the source.",
            "",
            "| element | printed | probably meant | source |",
            "| --- | --- | --- | --- |"]
    for line, elem, printed, meant in KEPT:
        src = f"001, line {line}" if line else "001"
        out.append(f"| {md_cell(link_elem(elem))} | {md_cell(printed)} | {md_cell(meant)} | {src} |")
    out += ["",
            "## Not reproduced",
            "",
            "- The figures of the report (its Figures 10–14 show the clusters of related "
            "competencies) did not survive the conversion; only their captions are kept.",
            "- The ADM introduction refers to an illustration (“as illustrated below”) that did "
            "not survive.",
            "- Security Operations Management (SOM) and Process Management (PM) have no "
            "competency objectives or practices in the source: their scope was under review "
            "when the report was published.",
            ""]
    return "\n".join(out)


# --------------------------------------------------------------------------------------
# main
# --------------------------------------------------------------------------------------

def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--seeds", type=Path, default=DEFAULT_SEEDS)
    ap.add_argument("--out", type=Path, default=REPO / "content")
    ap.add_argument("--report", action="store_true", help="print the hyphenation and paragraph decisions")
    args = ap.parse_args(argv)

    global DOC
    doc = DOC = Doc(load(args.seeds))
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
        text = area_yaml(a) + introduction_markdown(a) + "\n"
        check_area_file(text, a)
        (out / "areas" / f"{a['code']}.md").write_text(text, encoding="utf-8")

    cats, clusters = category_bodies(doc, names)
    for cid, body in cats.items():
        (out / "categories" / f"{cid}.md").write_text("---\n---\n" + body + "\n", encoding="utf-8")

    model = model_yaml(doc, args.seeds, clusters)
    parsed = yaml.safe_load(model)
    assert parsed["notice"].startswith("Copyright 2016 Carnegie Mellon University")
    assert [c["id"] for c in parsed["clusters"]] == [c[0] for c in CLUSTERS]
    assert all(parsed["clusters"][i]["description"] == clusters[c[0]] for i, c in enumerate(CLUSTERS))
    (out / "model.yaml").write_text(model, encoding="utf-8")
    page = errata_page(by_code)
    # Corrections made in content/generic/ (transcribed separately from 003).
    generic = Path(__file__).with_name("errata-generic.md").read_text(encoding="utf-8")
    page = page.replace("## Not reproduced", generic + "\n## Not reproduced", 1)
    (out / "pages" / "errata.md").write_text(page, encoding="utf-8")

    if args.report:
        for w in HYPHEN_LOG:
            print("hyphen:", w)
        for w in PARA_LOG:
            print("paragraph:", w)
    for w in WARNINGS:
        print("note:", w, file=sys.stderr)
    print(f"wrote {len(areas)} areas, {n_obj} objectives, {n_pr} practices to {out}")


CATEGORY_META = [
    ("enterprise", "Enterprise Management"),
    ("engineering", "Engineering"),
    ("operations", "Operations"),
    ("process-management", "Process Management"),
]

# One-sentence summaries: the opening sentence of each category's description
# (§5.5-5.8), as printed, so that §5.4's list of four names gets a short gloss.
SUMMARY_PATTERNS = {
    "enterprise": r"^The competencies in the Enterprise Management category represent",
    "engineering": r"^The management of operational resiliency is a requirements-driven",  # 2nd sentence
    "operations": r"^The Operations competencies represent the core activities",
    "process-management": r"^Process Management competencies represent those",
}

CLUSTERS = [
    ("asset", "Asset Resiliency Management Cluster", ["ADM", "HRM", "OTA", "KIM", "TM", "ECFM"]),
    ("protect-sustain", "Protect and Sustain Cluster", ["CM", "SM"]),
    ("supplier", "Supplier Management Cluster", ["SAM", "SRM"]),
    ("vulnerability-incident-risk", "Vulnerability, Incident, and Risk Cluster", ["VM", "RISK", "IMC", "MON"]),
    ("monitoring", "Monitoring Cluster", ["MON"]),
]

SCALE = [
    (0, "Not performed", "The practice is not performed, or so little of it that its statement is not met."),
    (1, "Partially performed", "Some of what the practice states is done, but not consistently or not for the assets and services in scope."),
    (2, "Largely performed", "The practice is performed for most of the assets and services in scope, with minor gaps."),
    (3, "Fully performed", "The practice is performed as stated, consistently, for all the assets and services in scope."),
]


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


def model_yaml(doc: Doc, seeds: Path, clusters: dict[str, str]) -> str:
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


if __name__ == "__main__":
    main()
