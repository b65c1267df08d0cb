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
