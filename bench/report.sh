#!/usr/bin/env bash
# Benchmark: `refbook report` over a team's answer files of the shipped model.
#
#   bench/report.sh                 # 100 and 1000 files; prints a Markdown table
#   COUNTS="100 1000 5000" bench/report.sh
#
# tools/team-answers.py writes COUNT answer files (every question answered,
# 5 assessors per scope and date, 4 dates, 5 scopes per organization) from
# the shipped book's survey data; each count is reported RUNS times per
# output format with /usr/bin/time -v: median wall time and median peak
# resident memory. Consensus files (min) are written too. A timing is never
# a test.
#
# Environment: COUNTS (default "100 1000"), RUNS (default 3), REFBOOK
# (default target/release/refbook, built here), DATA (default
# target/bench-report).

set -euo pipefail
cd "$(dirname "$0")/.."
COUNTS=${COUNTS:-"100 1000"}
RUNS=${RUNS:-3}
DATA=${DATA:-${CARGO_TARGET_DIR:-target}/bench-report}
if [ -z "${REFBOOK:-}" ]; then
  cargo build --release -q
  REFBOOK=${CARGO_TARGET_DIR:-target}/release/refbook
fi
mkdir -p "$DATA"
rm -rf "$DATA/site"
"$REFBOOK" build . -d "$DATA/site" >/dev/null

median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "| files | format | wall (s, median of $RUNS) | peak RSS (MiB, median) | output (MiB) |"
echo "|---:|---|---:|---:|---:|"
for n in $COUNTS; do
  files="$DATA/files-$n"
  if [ ! -d "$files" ]; then
    python3 tools/team-answers.py "$DATA/site/assets/survey-data.js" "$files" --files="$n"
  fi
  for format in json csv html; do
    walls=(); rss=()
    for _ in $(seq "$RUNS"); do
      out="$DATA/out-$n.$format"
      rm -rf "$out.consensus"
      /usr/bin/time -v -o "$DATA/time.txt" "$REFBOOK" report "$files" --format "$format" \
        --consensus min -o "$out" 2>/dev/null
      walls+=("$(awk -F': ' '/Elapsed \(wall clock\)/ {n=split($2,t,":"); s=0; for(i=1;i<=n;i++) s=s*60+t[i]; print s}' "$DATA/time.txt")")
      rss+=("$(awk -F': ' '/Maximum resident set size/ {print $2}' "$DATA/time.txt")")
    done
    wall=$(printf '%s\n' "${walls[@]}" | median)
    kib=$(printf '%s\n' "${rss[@]}" | median)
    size=$(du -m "$out" | cut -f1)
    echo "| $n | $format | $wall | $((kib / 1024)) | $size |"
  done
done
