"""The errata page (content/pages/errata.md), and the check that every printed text the
tables cite is on the seed line they name."""
from __future__ import annotations

import re

from .seedtext import Doc, join_lines
from .tables import CORRECTIONS, DUPLICATES, KEPT, QUESTIONS


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


def where(doc: Doc, line: int | None, elem: str, names) -> str:
    """The report's place of a seed line: its appendix and area, or its numbered section
    (the conversion keeps seven of the report's page footers, too few to cite pages)."""
    if line is None:
        code = re.match(r"[A-Z]{2,4}", elem).group(0)
        line = min(n for n, t in doc.lines.items() if re.match(rf"\s*(Objective|Practice) {code}-", t))
    for n in range(line, 0, -1):
        t = doc.lines.get(n, "").strip()
        m = re.match(r"Appendix ([A-D]) ", t)
        if m:
            code = re.search(r"[A-Z]{2,4}", re.sub(r"\[\[|\]\]", "", elem)).group(0)
            return f"001, Appendix {m.group(1)}, {code} – {names[code]}"
        m = re.match(r"(\d+(?:\.\d+){1,3}) [A-Z]", t)
        if m:
            return f"001, §{m.group(1)}"
    raise SystemExit(f"no section for line {line}")


def errata_page(doc: Doc, areas_by_code) -> str:
    names = {c: a["name"] for c, a in areas_by_code.items()}
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
           "Each entry names the report's place: its appendix and competency area, or its "
           "numbered section. (The plain-text conversion keeps only seven of the report's "
           "page footers, too few to cite pages here; an element's page cites its page only "
           "where one of those footers makes it known.)",
           "",
           "| element | printed | published | source | why |",
           "| --- | --- | --- | --- | --- |"]
    for line, elem, field, printed, published, why in CORRECTIONS:
        out.append(f"| {md_cell(link_elem(elem))} | {md_cell(printed)} | {md_cell(published)} | "
                   f"{where(doc, line, elem, names)} | {md_cell(why)} |")
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
        asked = f" The survey asks: “{QUESTIONS[elem]}” (from its title)." if elem in QUESTIONS else ""
        out.append(f"| [[{elem}]] | same as [[{same}]] | {md_cell(stmt[elem])}{asked} | {where(doc, line, elem, names)} |")
    out += ["",
            "## Kept as printed",
            "",
            "These slips are published as printed, for fidelity to the source.",
            "",
            "| element | printed | probably meant | source |",
            "| --- | --- | --- | --- |"]
    for line, elem, printed, meant in KEPT:
        src = where(doc, line, elem, names)
        out.append(f"| {md_cell(link_elem(elem))} | {md_cell(printed)} | {md_cell(meant)} | {src} |")
    out += ["",
            "## Not reproduced",
            "",
            "- The ADM introduction refers to an illustration (“as illustrated below”) that did "
            "not survive.",
            "- Security Operations Management (SOM) and Process Management (PM) have no "
            "competency objectives or practices in the source: their scope was under review "
            "when the report was published.",
            "- Figures 10–14, the cluster diagrams of sections 5.6–5.8, are pictures that the "
            "plain-text conversion does not hold. Each is drawn from the model where the text "
            "cites it, showing only the relations that the text around it states, with those "
            "relations listed in words under the drawing.",
            ""]
    return "\n".join(out)
