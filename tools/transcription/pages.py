"""The report's page numbers that the plain-text conversion lets one know, and no others.

Seven page footers survive ("34 | CMU/SEI-2007-TR-009", "SOFTWARE ENGINEERING INSTITUTE | 25"),
one of them in the appendices (page 84, between SM and CM). Where the other pages break is not
marked reliably (a page's first line sometimes starts with a space, sometimes not), so only the
lines next to a footer have a known page: the last text before it is on its page, the first
text after it on the next. An element is cited with a page when its heading is such a line (in
the appendices: CM, which starts page 85); elsewhere the page is not known, and nothing is
guessed."""

import re

from .seedtext import FOOTER


def known_pages(lines: dict[int, str]) -> dict[int, int]:
    """Line number -> page, for the lines whose page is known."""
    nums = [n for n in sorted(lines) if lines[n].strip()]
    out = {}
    for idx, n in enumerate(nums):
        if not FOOTER.match(lines[n]):
            continue
        page = int(re.search(r"\d+", lines[n]).group())
        if idx > 0:
            out[nums[idx - 1]] = page
        if idx + 1 < len(nums):
            out[nums[idx + 1]] = page + 1
    return out
