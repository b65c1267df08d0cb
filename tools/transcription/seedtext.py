"""Reading seed 001: its lines with the conversion's mojibake undone, and the joining of
wrapped lines into paragraphs (line-end hyphenation, page breaks, lost bullets)."""
from __future__ import annotations

import re
from pathlib import Path

from .tables import CONTINUES_AFTER_BLANK, KEEP_HYPHEN

SEED_001 = "001_bf8e1acf2f44f8ea.txt"

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
# Runs of seed lines by line number (sections 4 and 5)
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
