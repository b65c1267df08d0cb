#!/usr/bin/env python3
"""Time from saving a file to `refbook serve` serving the changed page.

    serve_bench.py REFBOOK BOOK [--edits N] [--area FILE] [--pause S] [--field F]

Starts `REFBOOK serve BOOK --port 0`, then N times: rewrites one practice's
statement in an area file with a new word (one write, as an editor saves),
and polls the practice's page over HTTP until it holds that word. Waits for
the rebuild to be reported before the next edit, so that edits never
overlap. The first edit finds the page (the shortest path in the served
site that holds the word, not a whole-model page) and is not counted. Prints min, median, p90 and
max in milliseconds. A page the field keeps open (an event stream as the
reload script opens it) is fetched each time serve says it changed, as a
browser reloads it, rather than polled. The book's file is put back at the end. --pause is the
time between an edit's rebuild and the next edit (default 0.1 s): longer, the
next edit meets serve rendering the rest of the site in the background.

--field theme edits the book's practice template instead (its own, or a
copy of the built-in one in themes/default/templates/, removed at the
end), and keeps an event stream open for the page as a browser's reload
script does: serve renders the open pages first after a change of the
theme. --field book
edits book.toml's description (in every page's head) with the page found
open in the same way: the book is kept with its new settings, the open page
shown first. --field glossary edits the first definition of
content/glossary.yaml (the glossary page shows it; no page is kept open);
--field page the last line of the first free page in content/pages (its page
shows it); --field category the same of the first file of content/categories;
--field model the model's title in content/model.yaml, the home page open
(the book is checked again); --field move the statement, with the area moved
to model.yaml's last category every other edit (the areas' order changes);
--field catname the first category's name in model.yaml (its page polled);
--field areaname the area's name, the home page open (its lists show it);
--field area a new area file in model.yaml's first category, its page
polled, then the file removed (timed to serve's report of the rebuild, as
the removed area's pages go with the rest of the site); --field newpage
the same with a free page's file. SHOW_STDERR=1 lets serve's standard
error through (its warnings, and timings added while measuring).
"""

import argparse
import json
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request


def start(refbook, book):
    proc = subprocess.Popen(
        [refbook, "serve", book, "--port", "0"],
        stdout=subprocess.PIPE,
        stderr=None if os.environ.get("SHOW_STDERR") else subprocess.DEVNULL,
        text=True,
        env={**os.environ, "NO_COLOR": "1"},
    )
    for line in proc.stdout:
        m = re.match(r"serving .* at (http://\S+) \(site in (.*); Ctrl-C", line)
        if m:
            return proc, m.group(1), m.group(2)
    sys.exit("serve did not start")


def follow(proc, rebuilt):
    for line in proc.stdout:
        if line.startswith(("rebuilt", "build failed")):
            rebuilt.release()


def find_page(site, word):
    hits = []
    for d, _, files in os.walk(site):
        for f in files:
            if f.endswith(".html"):
                p = os.path.join(d, f)
                with open(p, encoding="utf-8", errors="replace") as fh:
                    if word in fh.read():
                        hits.append(os.path.relpath(p, site))
    # The pages of the whole model hold every word; the element's own page is wanted.
    hits = [h for h in hits if h.split(os.sep)[0] not in ("print", "survey", "worksheets")]
    return min(hits, key=lambda h: (h.count("/"), len(h))) if hits else None


def keep_open(url, page):
    """An event stream for `page`, as the reload script opens it. Gives a
    semaphore released at each reload that concerns the page (the page, or
    a file not a page, changed), as the script reloads it."""
    reloads = threading.Semaphore(0)

    def run():
        q = urllib.parse.quote(page, safe="")
        with urllib.request.urlopen(f"{url}__refbook/events?page={q}") as r:
            event = None
            for line in r:
                line = line.decode().rstrip("\n")
                if line.startswith("event: "):
                    event = line[7:]
                elif line.startswith("data: ") and event == "reload":
                    d = json.loads(line[6:])
                    changed = d.get("changed") or []
                    if d.get("all") or any(f == page or not f.endswith(".html")
                                           for f in changed):
                        reloads.release()
    threading.Thread(target=run, daemon=True).start()
    return reloads


# Fields that edit the model's title (with more, every other edit): the home
# page shows it.
MODEL_TITLE = ("model", "modellines", "arealist")
# Fields whose edit the home page is kept open for (and fetched on reload).
HOME_OPEN = (*MODEL_TITLE, "areaname")


FIELDS = ("statement", "title", "link", "practice", "theme", "book", "glossary", "term",
          "page", "pagetitle", "category", "model", "related", "move", "catname", "area",
          "newpage", "modellines", "arealist", "areaname")


def parse_args():
    ap = argparse.ArgumentParser()
    ap.add_argument("refbook")
    ap.add_argument("book")
    ap.add_argument("--edits", type=int, default=30)
    ap.add_argument("--area", help="area file (default: the first in content/areas)")
    ap.add_argument("--pause", type=float, default=0.1, help="seconds between edits")
    ap.add_argument("--field", choices=FIELDS, default="statement",
                    help="what of a practice to edit: its statement (its text only), its "
                    "title (which the pages that link to it show), its statement with "
                    "a link to an element of another area, alternately two (their "
                    "'referred to by' lists change), or a new practice after it, with a "
                    "new id each edit (the area's elements change); or the practice "
                    "template (a change of the theme); or book.toml's description "
                    "(every page's head); or the glossary's first definition, or a term "
                    "added before the first (another each edit); or a "
                    "free page's or category description's last line, or a free page's title; or the model's "
                    "title; or the statement with the area's related areas, alternately one more; or the "
                    "statement with the area in the last category, every other edit; or the first "
                    "category's name in model.yaml; or an area's or a free page's file added and removed; "
                    "or the model's title with a comment line above it every other edit (every "
                    "position in model.yaml moves), or with the first category's first two listed "
                    "areas swapped every other edit (every area between them moves); or the "
                    "area's name, the home page open (its lists show it)")
    return ap.parse_args()


def read(path):
    with open(path, encoding="utf-8") as f:
        return f.read()


def write(path, text):
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)


class Edit:
    """What a run edits: the file (`path`), its text before (`original`;
    None for a theme template the run made, removed at the end), the text
    of each edit (`text`), and the page known to show it (`page_url`)."""

    def __init__(self, a):
        self.a = a
        areas = os.path.join(a.book, "content", "areas")
        files = sorted(os.listdir(areas))
        self.path = a.area or os.path.join(areas, files[0])
        self.original = read(self.path)
        self.page_url = None
        self.made = None
        self.template = os.path.join(a.book, "themes", "default", "templates", "practice.html")
        self.statement(areas, files)
        self.insert_at = self.line(self.one_line())
        if a.field == "term":
            self.path = os.path.join(a.book, "content", "glossary.yaml")
            self.original = read(self.path)
        if a.field == "theme":
            self.theme()

    def statement(self, areas, files):
        """Where a practice's word goes, and what comes with it every other
        edit (a link, a related area, another category)."""
        a = self.a
        self.links = [""]
        self.related = None
        if a.field == "related":
            # The last area's code, listed under `related:` every other edit.
            self.related = re.search(r"^code: *(\S+)", read(os.path.join(areas, files[-1])),
                                     re.M).group(1)
        self.moved_to = None
        if a.field == "move":
            # model.yaml's last category: the area goes there every other edit.
            model = read(os.path.join(a.book, "content", "model.yaml"))
            cats = re.search(r"^categories:\n((?:[ -].*\n)*)", model, re.M)
            ids = re.findall(r"^  - id: *(\S+)$", cats.group(1) if cats else "", re.M)
            if len(ids) < 2:
                sys.exit("model.yaml has no two categories")
            self.moved_to = ids[-1]
        if a.field == "link":
            other = next(os.path.join(areas, f) for f in files
                         if os.path.join(areas, f) != self.path)
            self.links = [f" [[{i}]]" for i in re.findall(r"^ *- id: (\S+)$", read(other), re.M)[:2]]
            if len(self.links) < 2:
                sys.exit(f"no two elements to link to in {other}")
        # A practice's one-line statement or title (eight spaces in: under `practices:`).
        field = "title" if a.field == "title" else "statement"
        self.m = re.search(r"^( {8}" + field + r": )(.+)$", self.original, re.M)
        if not self.m:
            sys.exit(f"no practice {field} in {self.path}")
        # Inside the quotes of a quoted statement (tools/scale.py quotes them):
        # after the closing quote the word would be a YAML error.
        self.at = self.m.end(2)
        if self.m.group(2)[-1] in "\"'" and self.m.group(2)[0] == self.m.group(2)[-1]:
            self.at -= 1

    def one_line(self):
        """For a field edited by appending a word to one line of one file:
        the file, and the line (group 1 ends where the word goes; the last
        match wins). None for the others."""
        a = self.a
        one_line = {
            "book": (("book.toml",), r'^description = "([^"\n]*)"'),
            # The first definition's first line (a block scalar's, or a plain one).
            "glossary": (("content", "glossary.yaml"), r"^  definition: (?:\|\n +)?(\S.*)$"),
            **{f: (("content", "model.yaml"), r"^title: (.*\S)$") for f in MODEL_TITLE},
            "catname": (("content", "model.yaml"),
                        r"^categories:\n  - id: *(\S+)\n(?:    (?!name:).*\n)*    name: (.*\S)$"),
        }
        if a.field in ("page", "pagetitle", "category"):
            folder = {"page": "pages", "pagetitle": "pages", "category": "categories"}[a.field]
            first = sorted(f for f in os.listdir(os.path.join(a.book, "content", folder))
                           if f.endswith(".md"))[0]
            self.page_url = f"{folder}/{first[:-3]}/index.html"
            # The body's last line that is text.
            one_line[a.field] = (("content", folder, first),
                                 r"^title: (.*\S)$" if a.field == "pagetitle" else r"^([A-Za-z].*\S)$")
        if a.field == "areaname":
            one_line["areaname"] = (os.path.relpath(self.path, a.book).split(os.sep),
                                    r"^name: (.*\S)$")
        return one_line.get(a.field)

    def line(self, edited):
        """Where the word goes in the one line edited: the end of the line's
        text (group 1), or of the name (group 2) after the category's id."""
        if edited is None:
            return None
        parts, pattern = edited
        self.path = os.path.join(self.a.book, *parts)
        self.original = read(self.path)
        found = list(re.finditer(pattern, self.original, re.M))
        if self.a.field in ("book", "glossary", "catname", "areaname", *MODEL_TITLE):
            found = found[:1]
        if not found:
            sys.exit(f"no line to edit in {self.path}")
        book_m = found[-1]
        if self.a.field == "catname":
            self.page_url = f"categories/{book_m.group(1).lower()}/index.html"
        return book_m.end(book_m.lastindex)

    def theme(self):
        """The book's own practice template when it has one (the
        repository's book is the built-in theme's home), else a copy of the
        built-in one."""
        built_in = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "themes",
                                "default", "templates", "practice.html")
        source = self.template if os.path.exists(self.template) else built_in
        self.theme_text = read(source)
        if "<h2>Statement</h2>" not in self.theme_text:
            sys.exit(f"no statement heading in {source}")
        self.original = self.theme_text if source == self.template else None
        if self.original is None:
            made = os.path.join(self.a.book, "themes")
            self.made = made if not os.path.exists(made) else None
            os.makedirs(os.path.dirname(self.template), exist_ok=True)
        self.path = self.template

    def text(self, i, word):
        """The file's text at edit `i`, with `word` in it; every other edit
        some fields change more."""
        a, original = self.a, self.original
        if self.insert_at is not None:
            text = original[:self.insert_at] + " " + word + original[self.insert_at:]
            if a.field == "arealist" and i % 2:
                text = swapped_list(a.book, text)
            if a.field == "modellines" and i % 2:
                text = "# A line the benchmark put here.\n" + text
            return text
        if a.field == "term":
            return f"- term: {word}\n  definition: A term added by the benchmark.\n" + original
        if a.field == "theme":
            return self.theme_text.replace("<h2>Statement</h2>",
                                           f"<h2>Statement</h2><p>{word}</p>")
        if a.field == "practice":
            # After the statement's line: a practice of the same objective.
            line_end = original.index("\n", self.m.end(2)) + 1
            code = re.search(r"^code: *(\S+)", original, re.M).group(1)
            return (original[:line_end]
                    + f"      - id: {code}-B{i}\n        title: Bench Practice\n"
                    + f"        statement: {word}\n" + original[line_end:])
        text = original[:self.at] + " " + word + self.links[i % len(self.links)] + original[self.at:]
        if self.moved_to and i % 2:
            text = re.sub(r"^category: .*$", f"category: {self.moved_to}", text, count=1,
                          flags=re.M)
        if self.related and i % 2:
            item = f"  - {self.related}\n"
            if re.search(r"^related:\n", text, re.M):
                text = re.sub(r"^related:\n", lambda r: r.group(0) + item, text,
                              count=1, flags=re.M)
            else:
                text = re.sub(r"^(category: .*\n)", lambda c: c.group(1)
                              + "related:\n" + item, text, count=1, flags=re.M)
        return text

    def page(self, site, word):
        """The page that shows the edit: the home page for every page's
        description and the model's words, the glossary, the page found for
        the field, else the shortest path in the site that holds the word."""
        f = self.a.field
        return {"book": "index.html", **{h: "index.html" for h in HOME_OPEN},
                "glossary": "glossary/index.html",
                "term": "glossary/index.html"}.get(
            f) or (self.page_url if f in ("page", "pagetitle", "category", "catname")
                   else find_page(site, word))

    def put_back(self):
        if self.original is None:
            os.remove(self.template)
            if self.made:
                shutil.rmtree(self.made)
        else:
            write(self.path, self.original)


def main():
    a = parse_args()
    edit = Edit(a)
    # Killed, it still puts the book's file back (the finally below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit("stopped"))
    if a.field in ("area", "newpage"):
        return file_added(a)
    proc, url, site = start(a.refbook, a.book)
    rebuilt = threading.Semaphore(0)
    threading.Thread(target=follow, args=(proc, rebuilt), daemon=True).start()
    times = []
    try:
        page, reloads = None, None
        for i in range(a.edits + 1):
            word = f"benchword{i}x{os.getpid()}"
            text = edit.text(i, word)
            t0 = time.perf_counter()
            write(edit.path, text)
            if page is None:
                page, reloads = first_edit(edit, url, site, word, rebuilt)
                continue
            times.append(shown(url, page, word, reloads, t0))
            rebuilt.acquire(timeout=120)
            time.sleep(a.pause)
    finally:
        edit.put_back()
        time.sleep(0.5)
        proc.terminate()
        proc.wait()
    summary("edits", times)


def first_edit(edit, url, site, word, rebuilt):
    """The first edit, not timed: the page that shows it, and the event
    stream kept open for it when the field keeps one."""
    if not rebuilt.acquire(timeout=600):
        sys.exit("no rebuild was reported within 600 s")
    page = edit.page(site, word)
    if page is None:
        sys.exit("the edit shows on no page")
    print(f"page: {page}", file=sys.stderr)
    reloads = None
    if edit.a.field in ("theme", "book", *HOME_OPEN):
        reloads = keep_open(url, page)
        time.sleep(0.2)
    return page, reloads


def shown(url, page, word, reloads, t0):
    """Milliseconds from `t0` until `page` holds `word`."""
    while True:
        if reloads:
            # The page is open: fetched once told it changed, as the
            # reload script does (polling a large home page would
            # take a core from the rebuild it waits for).
            if not reloads.acquire(timeout=120):
                sys.exit("the change never showed")
        with urllib.request.urlopen(url + page) as r:
            if word.encode() in r.read():
                return (time.perf_counter() - t0) * 1000
        if time.perf_counter() - t0 > 120:
            sys.exit("the change never showed")
        if not reloads:
            time.sleep(0.002)


def summary(what, times):
    times = sorted(times)
    p90 = times[min(len(times) - 1, int(round(0.9 * (len(times) - 1))))]
    print(
        f"{len(times)} {what}: min {times[0]:.0f} ms, median {statistics.median(times):.0f} ms, "
        f"p90 {p90:.0f} ms, max {times[-1]:.0f} ms"
    )


def swapped_list(book, text):
    """model.yaml's `text` with its first category's first two areas the other
    way round: swapped in its list of areas, or listed so when it has none."""
    first = re.search(r"^categories:\n  - id: *(\S+)\n((?:    .*\n)*)", text, re.M)
    if not first:
        sys.exit("model.yaml has no category")
    listed = re.search(r"^    areas: \[([^,\]]+), *([^,\]]+)", first.group(2), re.M)
    if listed:
        at = first.start(2) + listed.start(1)
        end = first.start(2) + listed.end(2)
        return text[:at] + f"{listed.group(2)}, {listed.group(1)}" + text[end:]
    areas = os.path.join(book, "content", "areas")
    codes = []
    for f in sorted(os.listdir(areas)):
        with open(os.path.join(areas, f), encoding="utf-8") as fh:
            head = fh.read(2000)
        cat = re.search(r"^category: *(\S+)", head, re.M)
        if cat and cat.group(1) == first.group(1):
            codes.append(re.search(r"^code: *(\S+)", head, re.M).group(1))
    if len(codes) < 2:
        sys.exit(f"category {first.group(1)} has no two areas")
    return text[:first.start(2)] + f"    areas: [{codes[1]}, {codes[0]}]\n" + text[first.start(2):]


def file_added(a):
    """--field area: an area file added in model.yaml's first category;
    --field newpage: a free page's file. Its page is polled until served,
    then the file is removed (timed to serve's report, as the removed
    file's pages go with the rest of the site)."""
    if a.field == "area":
        first = re.search(r"^categories:\n  - id: *(\S+)$",
                          read(os.path.join(a.book, "content", "model.yaml")), re.M)
        if not first:
            sys.exit("model.yaml has no category")
        path = os.path.join(a.book, "content", "areas", "QQBENCH.md")
        served = "areas/qqbench/index.html"
        made = None

        def text(word):
            return (f"---\ncode: QQBENCH\nname: Bench Area\ncategory: {first.group(1)}\n"
                    f"purpose: The purpose of the bench area is {word}.\nobjectives:\n"
                    "  - id: QQBENCH-1\n    title: Bench Objective\n"
                    "    statement: Things are done.\n    practices:\n"
                    "      - id: QQBENCH-1.1\n        title: Bench Practice\n"
                    "        statement: The first thing is done.\n---\n")
    else:
        folder = os.path.join(a.book, "content", "pages")
        made = None if os.path.isdir(folder) else folder
        os.makedirs(folder, exist_ok=True)
        path = os.path.join(folder, "qqbench.md")
        served = "pages/qqbench/index.html"

        def text(word):
            return f"---\ntitle: Bench Page\n---\nA page added by the benchmark: {word}.\n"
    if os.path.exists(path):
        sys.exit(f"{path} exists")
    proc, url, _ = start(a.refbook, a.book)
    rebuilt = threading.Semaphore(0)
    threading.Thread(target=follow, args=(proc, rebuilt), daemon=True).start()
    page = url + served
    added, removed = [], []
    try:
        for i in range(a.edits + 1):
            word = f"benchword{i}x{os.getpid()}"
            t0 = time.perf_counter()
            write(path, text(word))
            while True:
                try:
                    with urllib.request.urlopen(page) as r:
                        if word.encode() in r.read():
                            break
                except urllib.error.HTTPError:
                    pass
                if time.perf_counter() - t0 > 120:
                    sys.exit("the new page never showed")
                time.sleep(0.002)
            if i:
                added.append((time.perf_counter() - t0) * 1000)
            rebuilt.acquire(timeout=120)
            time.sleep(a.pause)
            t0 = time.perf_counter()
            os.remove(path)
            if not rebuilt.acquire(timeout=120):
                sys.exit("no rebuild was reported for the removal")
            if i:
                removed.append((time.perf_counter() - t0) * 1000)
            time.sleep(a.pause)
    finally:
        if os.path.exists(path):
            os.remove(path)
        time.sleep(0.5)
        proc.terminate()
        proc.wait()
        if made:
            os.rmdir(made)
    summary(f"{a.field} files added", added)
    summary(f"{a.field} files removed (to the report)", removed)


if __name__ == "__main__":
    main()
