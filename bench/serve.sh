#!/usr/bin/env bash
# Benchmark: from saving an area file to `refbook serve` serving the changed
# page, over many edits (tools/serve_bench.py drives it; see there).
#
#   bench/serve.sh                  # the shipped book, 30 edits
#   BOOK=/tmp/s100/refbook EDITS=10 bench/serve.sh
#   FIELD=title bench/serve.sh      # edit a practice title instead of a statement
#   FIELD=link bench/serve.sh       # a statement with a link, its target changing
#   FIELD=practice bench/serve.sh   # a practice added, a new id each edit
#   FIELD=theme bench/serve.sh      # the practice template, its page open (as a browser)
#   FIELD=book bench/serve.sh       # book.toml's description, the page open
#   FIELD=glossary bench/serve.sh   # the glossary's first definition
#   FIELD=term bench/serve.sh       # a term added before the first (another each edit)
#   FIELD=page bench/serve.sh       # a free page's last line (a book with content/pages)
#   FIELD=pagetitle bench/serve.sh  # a free page's title (every page's menu shows it)
#   FIELD=category bench/serve.sh   # the same of a category's description file
#   FIELD=model bench/serve.sh      # model.yaml's title, the home page open
#   FIELD=modellines bench/serve.sh # the same, a comment line above it every other edit
#   FIELD=arealist bench/serve.sh   # the same, the first category's first two areas swapped every other edit
#   FIELD=related bench/serve.sh    # a statement, with a related area every other edit
#   FIELD=move bench/serve.sh       # a statement, the area in the last category every other edit
#   FIELD=catname bench/serve.sh    # the first category's name in model.yaml
#   FIELD=areaname bench/serve.sh   # the area's name, the home page open and polled
#   FIELD=area bench/serve.sh       # an area file added, then removed
#   FIELD=newpage bench/serve.sh    # a free page's file added, then removed
#
# Make a scaled book with `python3 tools/scale.py 100 /tmp/s100`. Prints
# min, median, p90 and max in ms. A timing is never a test.
#
# Environment: BOOK (default .), EDITS (default 30), FIELD (statement,
# title, link, practice, theme, book, glossary, term, page, pagetitle, category, model, modellines, arealist, areaname, related, move, catname, area or newpage,
# default statement), PAUSE (seconds between
# an edit's rebuild and the next edit, default 0.1), REFBOOK (default
# target/release/refbook, built here).

set -euo pipefail
cd "$(dirname "$0")/.."
BOOK=${BOOK:-.}
EDITS=${EDITS:-30}
if [ -z "${REFBOOK:-}" ]; then
  cargo build --release -q
  REFBOOK=${CARGO_TARGET_DIR:-target}/release/refbook
fi
python3 tools/serve_bench.py "$REFBOOK" "$BOOK" --edits "$EDITS" --field "${FIELD:-statement}" --pause "${PAUSE:-0.1}"
