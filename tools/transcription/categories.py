"""The category descriptions of sections 5.5-5.8 and the cluster descriptions they hold."""
from __future__ import annotations

import re

from .seedtext import Doc, find_line, join_lines, para, render_paragraphs, seed_range


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


class Chapter5:
    """Section 5.5-5.8 of seed 001: the lines of their headings, and their text by line
    range.  A heading that is not found stops the transcription (find_line)."""

    def __init__(self, doc: Doc):
        self.doc = doc
        L = self.line
        self.s55 = L(r"^5\.5 ENTERPRISE MANAGEMENT")
        self.s551 = L(r"^5\.5\.1 ")
        self.s56 = L(r"^5\.6 ENGINEERING")
        self.s561 = L(r"^5\.6\.1 ")
        self.s562 = L(r"^5\.6\.2 ")
        self.s563 = L(r"^5\.6\.3 ")
        self.s57 = L(r"^5\.7 OPERATIONS")
        self.s571 = L(r"^5\.7\.1 ")
        self.s572 = L(r"^5\.7\.2 ")
        self.s58 = L(r"^\s*5\.8 PROCESS MANAGEMENT")
        self.s581 = L(r"^5\.8\.1 ")
        self.s582 = L(r"^5\.8\.2 ")
        # Chapter 6 ends section 5.8; only its presence is checked.
        self.s6 = L(r"^\s*6 Beginning a Process Improvement Effort")

    def line(self, pattern: str, after: int = 1400) -> int:
        return find_line(self.doc, pattern, after)

    def prose(self, a: int, b: int) -> str:
        """Lines a-b as Markdown paragraphs."""
        return render_paragraphs(para(self.doc, a, b))

    def text(self, a: int, b: int) -> str:
        """Lines a-b joined into one line of text."""
        return join_lines(self.doc, seed_range(self.doc, a, b))


def category_bodies(doc: Doc, names: dict[str, str]):
    c = Chapter5(doc)
    cats = {}
    clusters = {}
    cats["enterprise"] = enterprise(c, names)
    cats["engineering"] = engineering(c, names, clusters)
    cats["operations"] = operations(c, names, clusters)
    cats["process-management"] = process_management(c, names, clusters)
    check_printed_lists(c, names)
    return cats, clusters


def enterprise(c: Chapter5, names) -> str:
    """Section 5.5."""
    app_a = c.line(r"current body of knowledge for Enterprise Management competencies", c.s551)
    return "\n\n".join([
        c.prose(c.s55 + 1, c.s551 - 1),
        "## Enterprise Management Competencies",
        "The competencies that represent the Enterprise Management category include",
        code_list(["EF", "COMP", "FRM", "RISK", "COMM", "OTA"], names),
        c.text(app_a, app_a),
    ])


def engineering(c: Chapter5, names, clusters) -> str:
    """Section 5.6; sets the asset and protect-sustain clusters."""
    broad = c.line(r"^Engineering competencies can be described", c.s56)
    first_item = c.line(r"^1\. Requirements management", c.s56)
    app_b = c.line(r"current body of knowledge for Engineering competencies", c.s56)
    asset_cluster = c.line(r"^Asset cluster", c.s562)
    fig11 = c.line(r"^Figure 11:", c.s563)
    asset_desc = asset_cluster_description(c, asset_cluster)
    protect_desc = c.prose(c.s563 + 1, fig11 - 1)
    clusters["asset"] = asset_desc
    clusters["protect-sustain"] = protect_desc
    eng_rel_intro = c.prose(c.s562 + 1, asset_cluster - 1)
    return "\n\n".join([
        c.prose(c.s56 + 1, broad - 1),
        c.text(broad, broad),
        numbered_items(c.doc, first_item, app_b - 1),
        c.text(app_b, app_b),
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


def asset_cluster_description(c: Chapter5, asset_cluster: int) -> str:
    """The asset cluster of section 5.6.2, from the line after its heading."""
    asset_list = c.line(r"People: HRM", c.s562)
    depicted = c.line(r"This is depicted in Figure 10", c.s562)
    c.line(r"^Figure 10:", c.s562)  # not used: a seed without it stops here
    standard = c.line(r"^In each of the competency areas that address asset resiliency", c.s562)
    sel = c.line(r"selection of a subset of assets", c.s562)
    while_ = c.line(r"^While this results in some overlap", c.s562)
    asset_intro = c.prose(asset_cluster + 1, asset_list - 1)
    asset_bullets = "\n".join([
        "- People: [[HRM]] – Human Resources Management and [[OTA]] – Organizational Training and Awareness",
        "- Information: [[KIM]] – Knowledge and Information Management",
        "- Technology: [[TM]] – Technology Management",
        "- Facilities: [[ECFM]] – Environmental Control and Facilities Management",
    ])
    check = c.text(asset_list, depicted - 1)
    for probe in ("People: HRM", "Information: KIM", "Technology: TM", "Facilities: ECFM"):
        assert probe in check, probe
    std_intro = c.text(standard, sel - 1)
    # the four items are bullets whose glyphs were lost; some wrap onto a second line
    std_items = ["- " + p.removeprefix("- ") for p in _split_lost_bullets(c.doc, sel, while_ - 1)]
    return "\n\n".join([
        asset_intro,
        asset_bullets,
        c.text(depicted, depicted),
        std_intro,
        "\n".join(std_items),
        c.prose(while_, c.s563 - 1),
    ])


def operations(c: Chapter5, names, clusters) -> str:
    """Section 5.7; sets the supplier and vulnerability-incident-risk clusters."""
    broad = c.line(r"^Operations competencies can be expressed", c.s57)
    first_item = c.line(r"^1\. Sourcing addresses", c.s57)
    app_c = c.line(r"body of knowledge for Operations competencies", c.s57)
    sup = c.line(r"^Supplier cluster", c.s572)
    fig12 = c.line(r"^Figure 12:", c.s572)
    vir = c.line(r"^Vulnerability, incident, and risk cluster", c.s572)
    c.line(r"^Figure 13 is a simple illustration", c.s572)  # not used: a seed without it stops here
    fig13 = c.line(r"^Figure 13:", c.s572)
    fn17 = c.line(r"^17  SAM and SRM", c.s572)
    sup_desc = c.prose(sup + 1, fig12 - 1)
    if "Figure 12.17" not in sup_desc:
        raise SystemExit("footnote 17 marker not found")
    sup_desc = sup_desc.replace("Figure 12.17", "Figure 12.[^17]")
    fn17_text = c.text(fn17, fn17 + 2)
    fn17_text = "[^17]: " + fn17_text.removeprefix("17 ").strip()
    vir_desc = c.prose(vir + 1, fig13 - 1)
    clusters["supplier"] = sup_desc + "\n\n" + fn17_text
    clusters["vulnerability-incident-risk"] = vir_desc
    return "\n\n".join([
        c.prose(c.s57 + 1, broad - 1),
        c.text(broad, broad),
        numbered_items(c.doc, first_item, app_c - 1),
        c.text(app_c, app_c),
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
        c.prose(c.s572 + 1, sup - 1),
        "### Supplier cluster",
        sup_desc,
        "*Figure 12: Supplier Management Cluster*",
        "### Vulnerability, incident, and risk cluster",
        vir_desc,
        "*Figure 13: Vulnerability, Incident, and Risk Cluster*",
        fn17_text,
    ])


def process_management(c: Chapter5, names, clusters) -> str:
    """Section 5.8; sets the monitoring cluster."""
    broad = c.line(r"^Process Management competencies can be expressed", c.s58)
    first_item = c.line(r"^1\. Data collection and logging", c.s58)
    app_d = c.line(r"body of knowledge for Process Management competencies", c.s58)
    mon = c.line(r"^Monitoring cluster", c.s582)
    shown = c.line(r"relationships in the Monitoring cluster are shown in Figure 14", c.s582)
    mon_desc = c.prose(mon + 1, shown)
    clusters["monitoring"] = mon_desc
    return "\n\n".join([
        c.prose(c.s58 + 1, broad - 1),
        c.text(broad, broad),
        numbered_items(c.doc, first_item, app_d - 1),
        c.text(app_d, app_d),
        "## Process Management Competencies",
        "The initial Process Management competencies include",
        "### Data Collection and Logging",
        code_list(["MON"], names),
        "### Process Management",
        code_list(["PM", "MA"], names),
        "## Important Process Management Competency Relationships",
        c.prose(c.s582 + 1, mon - 1),
        "### Monitoring cluster",
        mon_desc,
        "*Figure 14: Monitoring Cluster*",
    ])


def check_printed_lists(c: Chapter5, names) -> None:
    """Every area code in the printed lists of 5.x.1 is an area of the appendices."""
    for sec, nxt in ((c.s551, c.s56), (c.s561, c.s562), (c.s571, c.s572), (c.s581, c.s582)):
        printed = [m.group(1) for n, line in seed_range(c.doc, sec + 1, nxt - 1)
                   for m in [re.match(r"^\s*([A-Z]{2,4}) – ", line)] if m]
        for code in printed:
            assert code in names, code


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
