"""YAML written by hand (so that long texts wrap and read like the report), and the read-back
check that it means exactly the values it was written from."""
from __future__ import annotations

import json
import re

import yaml


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
    page = f", page: {a['page']}" if a.get("page") else ""
    out.append(f"source: {{document: tr-2007-009, section: Appendix {a['appendix']}{page}}}")
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
            if o.get("page"):
                out.append(f"    page: {o['page']}")
            out.append("    practices:")
            for p in o["practices"]:
                out.append(f"      - id: {p['id']}")
                out.append(f"        title:{scalar(p['title'], 10)}")
                out.append(f"        statement:{scalar(p['statement'], 10)}")
                if p.get("page"):
                    out.append(f"        page: {p['page']}")
                if p.get("question"):
                    out.append(f"        question:{scalar(p['question'], 10)}")
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
