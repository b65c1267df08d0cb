"""Appendix E of 001, the report's collaborators, as a page: each organization with
the people named under it, in the report's order and words."""
from __future__ import annotations

from .seedtext import FOOTER, Doc

HEAD = "Appendix E Collaborators"


def collaborators(doc: Doc) -> list[tuple[str, list[str]]]:
    """(organization, [person, ...]) as printed: a group is a run of lines between blank
    lines, the organization first."""
    nums = sorted(doc.lines)
    starts = [i for i in nums if doc.lines[i].strip() == HEAD]
    assert len(starts) == 1, starts
    groups: list[tuple[str, list[str]]] = []
    people: list[str] | None = None
    for i in nums:
        if i <= starts[0] or FOOTER.match(doc.lines[i]):
            continue
        line = " ".join(doc.lines[i].split())
        if not line:
            people = None
        elif people is None:
            people = []
            groups.append((line, people))
        else:
            people.append(line)
    assert groups and all(p for _, p in groups), groups
    return groups


def collaborators_page(doc: Doc) -> str:
    out = [
        "---",
        "title: Collaborators",
        "order: 4",
        "sources: [tr-2007-009]",
        "---",
        "Appendix E of CMU/SEI-2007-TR-009, *Collaborators*, names these organizations and",
        "people, as printed:",
    ]
    for org, people in collaborators(doc):
        out += ["", f"## {org}", ""]
        out += [f"- {p}" for p in people]
    return "\n".join(out) + "\n"
