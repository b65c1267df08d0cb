#!/usr/bin/env python3
"""Deterministic generator of scaled books, for the benchmark (bench/run.sh).

    python3 tools/scale.py S OUT            # writes OUT/refbook, OUT/mdbook, OUT/hugo, OUT/hugo-ref, OUT/zola

S=1 is the size of the shipped model: 4 categories, 24 areas, 82 objectives,
225 practices (335 element pages), plus 3 generic goals with 13 generic
practices (which do not scale: they are asked of every area). S=10 and S=100
multiply categories, areas, objectives and practices by S.

Every element carries realistic text (statements, notes, subpractices, work
products) and three [[ID]] cross-references: one to a neighbour in its own
area (or goal), two to elements anywhere in the model. The same content is
written as

  refbook/   the source format (book.toml + content/)
  mdbook/    an mdBook book: one chapter per element, SUMMARY.md in model order
  hugo/      a Hugo site with a minimal template: one page per element, the
             cross-references as plain relative links
  hugo-ref/  the same Hugo site with the cross-references as {{< ref >}} shortcodes
  zola/      a Zola site with a minimal template: sections for elements with
             children, pages for the others, the cross-references as Zola's
             internal links (`@/areas/ef/ef-1.md`, checked and resolved by Zola)

so that the four build the same element pages at the same addresses
(areas/<area>/<id>/index.html, ...). For mdBook and Hugo the "referred to by"
list that refbook computes is precomputed here and written into each page, so
the peers build equivalent pages without having to compute it.

The output depends only on S (the PRNG is seeded with S): the same S always
gives byte-identical files.
"""

import os
import random
import re
import shutil
import sys

WORDS = """
resilience operational asset assets service services organization organizational
process processes requirement requirements risk risks control controls strategy
strategic plan plans planning continuity incident incidents vulnerability
vulnerabilities supplier suppliers information technology facility facilities
people staff training awareness governance oversight policy policies standard
standards measurement monitoring data performance objective objectives critical
essential protection sustainment recovery restoration disruption event events
stakeholder stakeholders sponsor sponsorship budget funding resource resources
compliance obligation obligations review reviews audit evidence baseline
configuration change changes integrity availability confidentiality impact
analysis threat threats environment environmental communication communications
knowledge management manager managers program programs activity activities
responsibility accountability authority escalation response improvement
""".split()

VERBS = """
identify establish maintain define document review assign monitor measure
analyze prioritize develop implement communicate train evaluate update verify
validate approve coordinate escalate improve sustain protect restore report
""".split()

PARTICIPLES = """
identified established maintained defined documented reviewed assigned
monitored measured analyzed prioritized developed implemented communicated
evaluated updated verified validated approved coordinated improved protected
""".split()

ADJ = """
critical relevant appropriate consistent documented defined approved effective
timely adequate formal periodic organizational operational independent
""".split()

PRODUCT_NOUNS = """
plan list register inventory report policy procedure record schedule charter
baseline matrix profile agreement assessment catalog log dashboard
""".split()


def slug(s):
    return re.sub(r"[^a-z0-9]+", "-", s.lower()).strip("-")


class Text:
    def __init__(self, rnd):
        self.r = rnd

    def words(self, n):
        return " ".join(self.r.choice(WORDS) for _ in range(n))

    def title(self, n=None):
        n = n or self.r.randint(2, 5)
        first = self.r.choice(VERBS)
        rest = [self.r.choice(WORDS) for _ in range(n - 1)]
        return " ".join(w.capitalize() for w in [first] + rest)

    def name(self):
        return " ".join(w.capitalize() for w in (self.r.choice(WORDS) for _ in range(self.r.randint(2, 3))))

    def sentence(self, lo=10, hi=22):
        n = self.r.randint(lo, hi)
        ws = [self.r.choice(WORDS) for _ in range(n)]
        # Some structure: an adjective, a verb, a comma.
        ws[1] = self.r.choice(ADJ)
        ws[n // 2] = "are " + self.r.choice(PARTICIPLES)
        if n > 14:
            ws[n // 3] += ","
        s = " ".join(ws)
        return s[0].upper() + s[1:] + "."

    def paragraph(self, lo=3, hi=6):
        return " ".join(self.sentence() for _ in range(self.r.randint(lo, hi)))

    def statement(self):
        return self.sentence(12, 24)


def fold(text, indent):
    """YAML block scalar (|) body, indented."""
    pad = " " * indent
    return "\n".join((pad + line) if line else "" for line in text.split("\n"))


def yq(s):
    """A YAML double-quoted scalar, which is also a TOML basic string (titles hold
    no control characters)."""
    return '"' + s.replace("\\", "\\\\").replace('"', '\\"') + '"'


class Elem:
    __slots__ = ("kind", "id", "title", "url", "parent", "children", "statement",
                 "notes", "subs", "work_products", "refs", "backrefs", "extra",
                 "area")

    def __init__(self, kind, id, title, url, parent=None):
        self.kind = kind
        self.id = id
        self.title = title
        self.url = url  # directory URL, e.g. areas/ef/ef-1-1/
        self.parent = parent
        self.children = []
        self.statement = ""
        self.notes = []  # paragraphs (strings, may hold [[ID]])
        self.subs = []  # (title, notes or None)
        self.work_products = []
        self.refs = []  # (target id, words or None)
        self.backrefs = []
        self.extra = {}
        self.area = None


def area_code(i):
    # Three letters, deterministic, all distinct.
    a = "ABCDEFGHIJKLMNOPQRSTUVWXYZ"
    return a[(i // 676) % 26] + a[(i // 26) % 26] + a[i % 26]


def split(total, parts):
    """`total` items over `parts` holders, as evenly as possible, deterministic."""
    base, extra = divmod(total, parts)
    return [base + (1 if (i * 7919) % parts < extra else 0) for i in range(parts)]


def build_model(S):
    rnd = random.Random(1000 + S)
    t = Text(rnd)
    n_cat, n_area, n_obj, n_pr = 4 * S, 24 * S, 82 * S, 225 * S
    cats, areas, objs, prs, goals, gps = [], [], [], [], [], []
    for c in range(n_cat):
        cid = f"cat{c + 1}"
        e = Elem("category", cid, t.name() + " Management", f"categories/{slug(cid)}/")
        e.statement = t.sentence()
        cats.append(e)
    obj_counts = split(n_obj, n_area)
    pr_counts = split(n_pr, n_obj)
    oi = 0
    for a in range(n_area):
        code = area_code(a + 27)
        cat = cats[a * n_cat // n_area]
        e = Elem("area", code, t.name(), f"areas/{slug(code)}/", cat)
        e.area = e
        first = t.sentence()
        e.statement = f"The purpose of {e.title} is to " + first[0].lower() + first[1:]
        e.notes = [t.paragraph() for _ in range(rnd.randint(2, 4))]
        cat.children.append(e)
        areas.append(e)
        for o in range(obj_counts[a]):
            oid = f"{code}-{o + 1}"
            oe = Elem("objective", oid, t.title(), f"areas/{slug(code)}/{slug(oid)}/", e)
            oe.area = e
            oe.statement = t.statement()
            if rnd.random() < 0.4:
                oe.notes = [t.paragraph(2, 4)]
            e.children.append(oe)
            objs.append(oe)
            for p in range(pr_counts[oi]):
                pid = f"{oid}.{p + 1}"
                pe = Elem("practice", pid, t.title(), f"areas/{slug(code)}/{slug(pid)}/", oe)
                pe.area = e
                pe.statement = t.statement()
                if rnd.random() < 0.7:
                    pe.notes = [t.paragraph() for _ in range(rnd.randint(1, 3))]
                for _ in range(rnd.choice([0, 0, 2, 3, 4, 5])):
                    pe.subs.append((t.sentence(6, 12), t.paragraph(1, 2) if rnd.random() < 0.5 else None))
                for _ in range(rnd.choice([0, 2, 3, 4])):
                    pe.work_products.append(" ".join(w for w in (rnd.choice(WORDS), rnd.choice(PRODUCT_NOUNS))))
                oe.children.append(pe)
                prs.append(pe)
            oi += 1
    gp_counts = [1, 10, 2]
    for g, n in enumerate(gp_counts):
        gid = f"GG{g + 1}"
        ge = Elem("goal", gid, t.title(4), f"generic/{slug(gid)}/")
        ge.statement = t.statement()
        ge.notes = [t.paragraph()]
        goals.append(ge)
        for p in range(n):
            pid = f"{gid}.GP{p + 1}"
            pe = Elem("generic_practice", pid, t.title(), f"generic/{slug(gid)}/{slug(pid)}/", ge)
            pe.statement = t.statement()
            pe.notes = [t.paragraph() for _ in range(rnd.randint(2, 4))]
            for _ in range(rnd.randint(2, 4)):
                pe.subs.append((t.sentence(6, 12), t.paragraph(1, 2)))
            ge.children.append(pe)
            gps.append(pe)
    elems = cats + areas + objs + prs + goals + gps
    by_id = {e.id: e for e in elems}
    # Related areas: two each, plus elaborations of two generic practices.
    for i, a in enumerate(areas):
        for k in (1, 2):
            other = areas[(i + k * 5 + 1) % len(areas)]
            if other is not a:
                a.extra.setdefault("related", []).append((other.id, t.sentence(8, 16)))
        a.extra["elaborations"] = [(gps[(i + k * 3) % len(gps)].id, t.paragraph(1, 2)) for k in (1, 2)]
    # Three cross-references per element.
    for e in elems:
        if e.kind == "category":
            near = e.children[rnd.randrange(len(e.children))] if e.children else None
        elif e.kind in ("area", "goal"):
            near = e.children[rnd.randrange(len(e.children))]
        else:
            sib = [x for x in e.parent.children if x is not e]
            near = rnd.choice(sib) if sib else e.parent
        targets = [near]
        while len(targets) < 3:
            x = elems[rnd.randrange(len(elems))]
            if x is not e and x not in targets:
                targets.append(x)
        for k, x in enumerate(targets):
            e.refs.append((x.id, x.title.lower() if k == 2 else None))
            if e not in [b for b in x.backrefs]:
                x.backrefs.append(e)
    return {
        "S": S, "cats": cats, "areas": areas, "objs": objs, "prs": prs,
        "goals": goals, "gps": gps, "elems": elems, "by_id": by_id, "rnd": rnd, "t": t,
    }


def ref_sentence(e, fmt):
    """A sentence naming the element's three references, in the given link format."""
    parts = [fmt(i, w) for i, w in e.refs]
    return f"See also {parts[0]}, {parts[1]} and {parts[2]}."


def rb_ref(i, w):
    return f"[[{i}|{w}]]" if w else f"[[{i}]]"


# ---------------------------------------------------------------- refbook


def write_refbook(m, out):
    os.makedirs(f"{out}/content/areas")
    os.makedirs(f"{out}/content/generic")
    os.makedirs(f"{out}/content/categories")
    S = m["S"]
    with open(f"{out}/book.toml", "w") as f:
        f.write(f'[book]\ntitle = "Scaled Model S={S}"\ndescription = "Generated by tools/scale.py for the benchmark."\n\n[build]\nbuild-dir = "book"\n')
    t = m["t"]
    y = [f"id: scaled-{S}", f"title: Scaled Model S={S}", 'version: "1.0"', "source: tools/scale.py",
         "notice: |", fold("Generated text for benchmarking. " + t.paragraph(2, 3), 2), "categories:"]
    for c in m["cats"]:
        y += [f"  - id: {c.id}", f"    name: {c.title}", f"    summary: {yq(c.statement)}"]
    y += ["clusters:"]
    for k in range(0, len(m["areas"]), 12):
        grp = m["areas"][k:k + 12:3]
        y += [f"  - id: cluster-{k // 12 + 1}", f"    name: Cluster {k // 12 + 1}",
              f"    areas: [{', '.join(a.id for a in grp)}]"]
    y += ["survey:", "  scale:",
          "    - { value: 0, label: Not performed }",
          "    - { value: 1, label: Partially performed }",
          "    - { value: 2, label: Largely performed }",
          "    - { value: 3, label: Fully performed }",
          "  performed_at: 2", "  not_applicable: true",
          "capability_levels:",
          "  - { level: 0, name: Incomplete }",
          "  - { level: 1, name: Performed, requires: [GG1] }",
          "  - { level: 2, name: Managed, requires: [GG1, GG2] }",
          "  - { level: 3, name: Defined, requires: [GG1, GG2, GG3] }"]
    with open(f"{out}/content/model.yaml", "w") as f:
        f.write("\n".join(y) + "\n")
    for c in m["cats"]:
        with open(f"{out}/content/categories/{c.id}.md", "w") as f:
            f.write("---\n---\n" + t.paragraph() + "\n\n" + ref_sentence(c, rb_ref) + "\n")
    for a in m["areas"]:
        y = ["---", f"code: {a.id}", f"name: {a.title}", f"category: {a.parent.id}",
             f"purpose: {yq(a.statement)}", "related:"]
        for rid, note in a.extra["related"]:
            y += [f"  - area: {rid}", f"    note: {yq(note)}"]
        y += ["objectives:"]
        for o in a.children:
            y += [f"  - id: {o.id}", f"    title: {o.title}", f"    statement: {yq(o.statement)}"]
            onotes = list(o.notes)
            if onotes:
                onotes[-1] += " " + ref_sentence(o, rb_ref)
                y += ["    notes: |", fold("\n\n".join(onotes), 6)]
            else:
                y[-1] = f"    statement: {yq(o.statement + ' ' + ref_sentence(o, rb_ref))}"
            y += ["    practices:"]
            for p in o.children:
                y += [f"      - id: {p.id}", f"        title: {p.title}"]
                notes = list(p.notes)
                if notes:
                    y += [f"        statement: {yq(p.statement)}"]
                    notes[-1] += " " + ref_sentence(p, rb_ref)
                    y += ["        notes: |", fold("\n\n".join(notes), 10)]
                else:
                    y += [f"        statement: {yq(p.statement + ' ' + ref_sentence(p, rb_ref))}"]
                if p.work_products:
                    y += ["        work_products:"] + [f"          - {w}" for w in p.work_products]
                if p.subs:
                    y += ["        subpractices:"]
                    for st, sn in p.subs:
                        y += [f"          - title: {yq(st)}"]
                        if sn:
                            y += ["            notes: |", fold(sn, 14)]
        y += ["elaborations:"]
        for gp, text in a.extra["elaborations"]:
            y += [f"  {gp}: |", fold(text, 4)]
        y += ["---"]
        body = "\n\n".join(a.notes[:-1] + [a.notes[-1] + " " + ref_sentence(a, rb_ref)])
        with open(f"{out}/content/areas/{a.id}.md", "w") as f:
            f.write("\n".join(y) + "\n" + body + "\n")
    for g in m["goals"]:
        y = ["---", f"id: {g.id}", f"title: {g.title}", f"statement: {yq(g.statement)}", "practices:"]
        for p in g.children:
            notes = list(p.notes)
            notes[-1] += " " + ref_sentence(p, rb_ref)
            y += [f"  - id: {p.id}", f"    title: {p.title}", f"    statement: {yq(p.statement)}",
                  "    notes: |", fold("\n\n".join(notes), 6), "    subpractices:"]
            for st, sn in p.subs:
                y += [f"      - title: {yq(st)}", "        notes: |", fold(sn, 10)]
        y += ["---"]
        with open(f"{out}/content/generic/{g.id}.md", "w") as f:
            f.write("\n".join(y) + "\n" + g.notes[0] + " " + ref_sentence(g, rb_ref) + "\n")
    rnd = m["rnd"]
    gl = []
    for k in range(20):
        term = t.name() + f" {k + 1}"
        gl += [f"- term: {term}", "  definition: |", fold(t.paragraph(1, 3), 4)]
    with open(f"{out}/content/glossary.yaml", "w") as f:
        f.write("\n".join(gl) + "\n")
    del rnd


# ---------------------------------------------------------------- peers (Markdown pages)


def rel(frm, to):
    """Relative link from directory URL `frm` to directory URL `to`."""
    up = frm.count("/")
    return "../" * up + to


def kind_label(e):
    return {"category": "Category", "area": "Competency area", "objective": "Competency objective",
            "practice": "Practice", "goal": "Generic goal", "generic_practice": "Generic practice"}[e.kind]


def page_markdown(e, m, link):
    """The body of an element's page, with `link(from, to_elem)` giving a link target."""
    by_id = m["by_id"]

    def fmt(i, w):
        x = by_id[i]
        return f"[{w or i}]({link(e, x)})"

    out = [f"# {e.id} {e.title}", "", f"*{kind_label(e)}*", ""]
    if e.kind == "category":
        out += [e.statement, "", ref_sentence(e, fmt), "", "## Areas", ""]
        out += [f"- [{a.id} {a.title}]({link(e, a)})" for a in e.children]
    elif e.kind == "area":
        out += ["## Purpose", "", e.statement, "", "## Introduction", ""]
        out += e.notes[:-1] + [e.notes[-1] + " " + ref_sentence(e, fmt)]
        out += ["", "## Related areas", ""]
        for rid, note in e.extra["related"]:
            out += [f"- [{rid}]({link(e, by_id[rid])}): {note}"]
        out += ["", "## Objectives and practices", ""]
        for o in e.children:
            out += [f"- [{o.id} {o.title}]({link(e, o)}): {o.statement}"]
            out += [f"  - [{p.id} {p.title}]({link(e, p)}): {p.statement}" for p in o.children]
        out += ["", "## Elaborations", ""]
        for gp, text in e.extra["elaborations"]:
            out += [f"### [{gp}]({link(e, by_id[gp])})", "", text, ""]
    elif e.kind in ("objective", "practice", "goal", "generic_practice"):
        if e.parent is not None:
            out += [f"In [{e.parent.id} {e.parent.title}]({link(e, e.parent)})", ""]
        out += ["## Statement", "", e.statement, ""]
        notes = list(e.notes)
        if notes:
            notes[-1] += " " + ref_sentence(e, fmt)
            out += ["## Notes", ""] + ["\n\n".join(notes)]
        else:
            out += [ref_sentence(e, fmt)]
        if e.subs:
            out += ["", "## Subpractices", ""]
            for k, (st, sn) in enumerate(e.subs):
                out += [f"{k + 1}. {st}"]
                if sn:
                    out += ["", "   " + sn, ""]
        if e.work_products:
            out += ["", "## Typical work products", ""] + [f"1. {w}" for w in e.work_products]
        if e.children:
            out += ["", "## Practices", ""]
            out += [f"- [{p.id} {p.title}]({link(e, p)}): {p.statement}" for p in e.children]
    if e.backrefs:
        out += ["", "## Referred to by", ""]
        out += [f"- [{b.id} {b.title}]({link(e, b)})" for b in e.backrefs]
    return "\n".join(out) + "\n"


def model_order(m):
    for c in m["cats"]:
        yield c, 0
        for a in c.children:
            yield a, 1
            for o in a.children:
                yield o, 2
                for p in o.children:
                    yield p, 3
    for g in m["goals"]:
        yield g, 0
        for p in g.children:
            yield p, 1


def write_mdbook(m, out):
    os.makedirs(f"{out}/src")
    with open(f"{out}/book.toml", "w") as f:
        f.write(f'[book]\ntitle = "Scaled Model S={m["S"]}"\nlanguage = "en"\n\n[build]\nbuild-dir = "book"\ncreate-missing = false\n\n[output.html]\n')

    def path(e):
        return e.url + "index.md"

    def link(frm, to):
        return rel(frm.url, path(to))

    summary = ["# Summary", "", "[Introduction](index.md)", ""]
    with open(f"{out}/src/index.md", "w") as f:
        f.write(f"# Scaled Model S={m['S']}\n\nGenerated by tools/scale.py.\n")
    for e, depth in model_order(m):
        summary.append("  " * depth + f"- [{e.id} {e.title}]({path(e)})")
        os.makedirs(f"{out}/src/{e.url}", exist_ok=True)
        with open(f"{out}/src/{path(e)}", "w") as f:
            f.write(page_markdown(e, m, link))
    with open(f"{out}/src/SUMMARY.md", "w") as f:
        f.write("\n".join(summary) + "\n")


HUGO_LAYOUT = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ .Title }} · {{ .Site.Title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><a href="{{ "/" | relURL }}">{{ .Site.Title }}</a></header>
<main>{{ .Content }}</main></body></html>
"""


def write_hugo(m, out, use_ref):
    os.makedirs(f"{out}/content")
    os.makedirs(f"{out}/layouts/_default")
    with open(f"{out}/config.toml", "w") as f:
        f.write(f'baseURL = "/"\ntitle = "Scaled Model S={m["S"]}"\nlanguageCode = "en"\n'
                'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404"]\n'
                'relativeURLs = true\n'
                # `categories` is a default taxonomy: name another so that
                # content/categories/ holds plain pages.
                '[taxonomies]\n  tag = "tags"\n')
    for name in ("single.html", "list.html"):
        with open(f"{out}/layouts/_default/{name}", "w") as f:
            f.write(HUGO_LAYOUT)
    with open(f"{out}/layouts/index.html", "w") as f:
        f.write(HUGO_LAYOUT)

    # Elements with children are section pages (_index.md in their directory),
    # the others leaf pages named by their slug, so that every element's page
    # is <url>index.html as in refbook.
    def content_path(e):
        if e.kind in ("area", "category", "goal"):
            return e.url + "_index.md"
        return e.url.rstrip("/") + ".md"

    def link(frm, to):
        if use_ref:
            return '{{< ref "/' + content_path(to) + '" >}}'
        return rel(frm.url, to.url)

    write_pages(m, out, content_path, link, lambda t: f"---\ntitle: {yq(t)}\n---\n")


def write_pages(m, out, content_path, link, front):
    """The home, the three top sections and every element's page of a Hugo or Zola
    site under out/content, each titled by `front(title)` (its front matter)."""
    with open(f"{out}/content/_index.md", "w") as f:
        f.write(front(f"Scaled Model S={m['S']}") + "Generated by tools/scale.py.\n")
    for top in ("areas", "generic", "categories"):
        os.makedirs(f"{out}/content/{top}", exist_ok=True)
        with open(f"{out}/content/{top}/_index.md", "w") as f:
            f.write(front(top.capitalize()))
    for e, _ in model_order(m):
        p = f"{out}/content/{content_path(e)}"
        os.makedirs(os.path.dirname(p), exist_ok=True)
        body = page_markdown(e, m, link).split("\n", 2)[2]  # the title goes in front matter
        with open(p, "w") as f:
            f.write(front(e.id + " " + e.title) + f"# {e.id} {e.title}\n{body}")


ZOLA_TEMPLATE = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{{ %(v)s.title }} · {{ config.title }}</title>
<meta name="viewport" content="width=device-width, initial-scale=1"></head>
<body><header><a href="{{ get_url(path='/') }}">{{ config.title }}</a></header>
<main>{{ %(v)s.content | safe }}</main></body></html>
"""


def write_zola(m, out):
    """The model as a Zola site: the same pages at the same addresses as Hugo's
    (elements with children are sections, `_index.md` in their folder; the
    others pages named by their slug), links as Zola's `@/` internal links."""
    os.makedirs(f"{out}/content")
    os.makedirs(f"{out}/templates")
    with open(f"{out}/config.toml", "w") as f:
        f.write(f'base_url = "/"\ntitle = "Scaled Model S={m["S"]}"\n'
                "compile_sass = false\nbuild_search_index = false\n"
                "generate_feeds = false\ngenerate_sitemap = false\ngenerate_robots_txt = false\n")
    for name, var in (("index.html", "section"), ("section.html", "section"), ("page.html", "page")):
        with open(f"{out}/templates/{name}", "w") as f:
            f.write(ZOLA_TEMPLATE % {"v": var})

    def content_path(e):
        if e.kind in ("area", "category", "goal"):
            return e.url + "_index.md"
        return e.url.rstrip("/") + ".md"

    def link(frm, to):
        return "@/" + content_path(to)

    write_pages(m, out, content_path, link, lambda t: f"+++\ntitle = {yq(t)}\n+++\n")


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: scale.py S OUT_DIR")
    S = int(sys.argv[1])
    out = sys.argv[2]
    if os.path.exists(out):
        shutil.rmtree(out)
    m = build_model(S)
    write_refbook(m, f"{out}/refbook")
    write_mdbook(m, f"{out}/mdbook")
    write_hugo(m, f"{out}/hugo", use_ref=False)
    write_hugo(m, f"{out}/hugo-ref", use_ref=True)
    write_zola(m, f"{out}/zola")
    n = len(m["elems"])
    with open(f"{out}/PAGES", "w") as f:
        f.write(f"{n}\n")
    print(f"S={S}: {n} element pages "
          f"({len(m['cats'])} categories, {len(m['areas'])} areas, {len(m['objs'])} objectives, "
          f"{len(m['prs'])} practices, {len(m['goals'])} goals, {len(m['gps'])} generic practices) -> {out}")


if __name__ == "__main__":
    main()
