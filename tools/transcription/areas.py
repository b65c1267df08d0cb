"""The competency areas of appendices A-D: their headings, sections, objectives and
practices, as printed, then finished (names, categories, statements, related notes)."""
from __future__ import annotations

import re

from .pages import known_pages
from .seedtext import FOOTER, WARNINGS, Doc, join_lines, markdown_paragraphs, render_paragraphs
from .tables import ACRONYMS, APPENDIX_CATEGORY, CATEGORY_LABELS, QUESTIONS, SMALL_WORDS, STATEMENT_FIXES

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


def appendix_body(lines) -> list[tuple[int, str]]:
    """The numbered lines of appendices A-D without page furniture and without the one
    footnote body they hold."""
    start, end = find_appendix_range(lines)
    nums = [n for n in range(start, end) if n in lines]
    skip = set()
    for n in nums:
        if FOOTER.match(lines[n]):
            skip.add(n)
        if re.match(r"^\s*22  A significant portion", lines[n]):
            skip.add(n)
    return [(n, lines[n]) for n in nums if n not in skip]


class AreaParser:
    """A walk through the lines of the appendices.  Text lines are buffered until the next
    heading and then handed to the innermost element open at that point (practice,
    objective, related entry, or the area's purpose or introduction)."""

    def __init__(self, body: list[tuple[int, str]]):
        self.body = body
        self.areas = []
        self.area = None
        self.appendix = None
        self.section = None
        self.related = None
        self.obj = None
        self.prac = None
        self.buf: list[tuple[int, str]] = []
        # The appendix's own opening text, before its first area, belongs to no area.
        self.in_appendix_intro = False

    def parse(self):
        i = 0
        while i < len(self.body):
            i = self.step(i)
        self.flush()
        return self.areas

    def next_nonblank(self, idx):
        for j in range(idx + 1, len(self.body)):
            if self.body[j][1].strip():
                return self.body[j][1].strip()
        return ""

    def current_target(self):
        if self.prac is not None:
            return self.prac["_lines"]
        if self.obj is not None:
            return self.obj["_lines"]
        if self.related is not None:
            return self.related["_lines"]
        if self.area is not None and self.section in ("Purpose", "Introduction"):
            return self.area["_" + self.section.lower()]
        return None

    def flush(self):
        target = self.current_target()
        if target is not None:
            target.extend(self.buf)
        self.buf = []

    def step(self, i: int) -> int:
        """Take the line at index i; return the index of the next line to take."""
        n, raw = self.body[i]
        s = raw.strip()
        m_app = APPENDIX_HEAD.match(s)
        if m_app:
            self.start_appendix(m_app.group(1))
            return i + 1
        if s in CATEGORY_LABELS:
            return i + 1
        m_area = AREA_HEAD.match(s)
        # An area heading is known by the category label printed under it; the same
        # "CODE – Name" form heads the entries of Related Competencies.
        if m_area and self.next_nonblank(i) in CATEGORY_LABELS:
            self.start_area(n, m_area.group(1), m_area.group(2), self.next_nonblank(i))
            return i + 1
        if self.in_appendix_intro:
            return i + 1
        if s in SECTIONS:
            self.flush()
            self.section = s
            self.obj = self.prac = self.related = None
            return i + 1
        if self.section == "Related Competencies" and m_area:
            self.flush()
            self.related = {"heading": s, "line": n, "_lines": []}
            self.area["related"].append(self.related)
            return i + 1
        m_obj = OBJ_HEAD.match(s)
        if m_obj:
            self.start_objective(n, m_obj.group(1), m_obj.group(2).strip())
            return i + 1
        m_pr = PRAC_HEAD.match(s)
        if m_pr:
            return self.start_practice(i, n, m_pr.group(1), m_pr.group(2).strip())
        self.buf.append((n, raw))
        return i + 1

    def start_appendix(self, appendix: str):
        self.flush()
        self.appendix = appendix
        self.area = self.obj = self.prac = self.related = None
        self.section = None
        self.in_appendix_intro = True

    def start_area(self, n: int, code: str, name: str, label: str):
        self.flush()
        self.area = {"code": code, "name_printed": name, "label": label, "line": n,
                     "appendix": self.appendix, "_purpose": [], "_introduction": [],
                     "related": [], "objectives": []}
        self.areas.append(self.area)
        self.section = None
        self.obj = self.prac = self.related = None
        self.in_appendix_intro = False

    def start_objective(self, n: int, oid: str, title: str):
        self.flush()
        self.prac = None
        self.related = None
        self.obj = {"id": oid, "title_printed": title, "line": n, "_lines": [], "practices": []}
        self.area["objectives"].append(self.obj)

    def start_practice(self, i: int, n: int, pid: str, title: str) -> int:
        self.flush()
        # a practice title printed in capitals may wrap onto the next non-blank line
        j = i + 1
        while j < len(self.body):
            t = self.body[j][1].strip()
            if not t:
                j += 1
                continue
            if t == t.upper() and re.search(r"[A-Z]{3}", t) and not PRAC_HEAD.match(t) \
                    and not OBJ_HEAD.match(t):
                title += " " + t
                j += 1
                continue
            break
        self.prac = {"id": pid, "title_printed": title, "line": n, "_lines": []}
        self.obj["practices"].append(self.prac)
        return j


def parse_areas(doc: Doc):
    return AreaParser(appendix_body(doc.lines)).parse()


def finish_areas(doc: Doc, areas):
    corrections_applied = []
    # The page an element starts on, where its heading's page is known.
    pages = known_pages(doc.lines)

    for a in areas:
        code = a["code"]
        a["page"] = pages.get(a["line"])
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
            o["page"] = pages.get(o["line"])
            for p in o["practices"]:
                p["page"] = pages.get(p["line"])
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
            for e in [o] + o["practices"]:
                if e["id"] in STATEMENT_FIXES:
                    printed, published = STATEMENT_FIXES[e["id"]]
                    assert printed in e["statement"], e["id"]
                    e["statement"] = e["statement"].replace(printed, published)
                    corrections_applied.append((e["id"], "statement"))
                if e["id"] in QUESTIONS:
                    e["question"] = QUESTIONS[e["id"]]
    return corrections_applied


# --------------------------------------------------------------------------------------
# Special rendering of introductions
# --------------------------------------------------------------------------------------

RRD_TABLE = """\
| Requirement / Asset | People | Information | Technology | Facilities |
| --- | :-: | :-: | :-: | :-: |
| Confidentiality | -- | ✓ | -- | -- |
| Integrity | -- | ✓ | ✓ | ✓ |
| Availability | ✓ | ✓ | ✓ | ✓ |"""

MA_FOOTNOTE = ("[^22]: A significant portion of this competency area is based on the MA "
               "process area as described in CMMI models.")


def introduction_markdown(doc: Doc, a) -> str:
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
        paras = (markdown_paragraphs(doc, lines[:first]) + [RRD_TABLE]
                 + markdown_paragraphs(doc, lines[last + 1:]))
    if code == "MA":
        idx = next(i for i, p in enumerate(paras) if p.startswith("Measurement and Analysis represents"))
        paras[idx] = paras[idx].replace("Measurement and Analysis represents",
                                        "Measurement and Analysis[^22] represents", 1)
        paras.append(MA_FOOTNOTE)
    return render_paragraphs(paras)


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
