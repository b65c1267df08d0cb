#!/usr/bin/env bash
# Benchmark: refbook against mdBook, Hugo and Zola on the same generated books.
#
#   bench/run.sh                    # S=1, 10, 100; prints a Markdown table
#   SCALES="1 10" bench/run.sh      # fewer sizes
#   RESULTS=bench/last-run.md bench/run.sh
#
# For each scale S, tools/scale.py writes the same model as a refbook book, an
# mdBook book, a Hugo site (plain links, and `ref` shortcodes) and a Zola
# site (its `@/` internal links); each is
# built into a fresh directory RUNS times, the tools interleaved so that noise
# from the (shared) machine falls on all of them alike. Reported: median wall
# time, element pages per second, median peak resident memory
# (/usr/bin/time), refbook's speed-up over each peer measured in the same run,
# and the floor: `cp -r` of refbook's own output tree into a fresh directory.
# Then the shipped book, end to end with process start, with hyperfine.
#
# Needs: python3, /usr/bin/time (Debian `time`), hugo (Debian `hugo`),
# mdbook (`cargo install mdbook --locked --no-default-features`), zola (built
# from source: bench/zola.sh), hyperfine.
# A missing peer is reported as missing, not fatal. A timing is never a test.
#
# Environment:
#   SCALES        sizes to run (default "1 10 100")
#   RUNS          builds per tool at S<=10 (default 5); RUNS_LARGE at S>10 (default 3)
#   MDBOOK_MAX    largest S that mdBook is run at (default 10: mdBook grows
#                 quadratically, ~45 s a build at S=10, hours at S=100)
#   REFBOOK       refbook binary (default: target/release/refbook, built here)
#   ZOLA          zola binary (default: `zola` on PATH, else $ZOLA_TARGET/release/zola,
#                 ZOLA_TARGET=/work/target-zola, where bench/zola.sh builds it)
#   DATA          where generated books go (default target/bench-data)
#   OUT           scratch directory for outputs (default /dev/shm/refbook-bench,
#                 a tmpfs, where there is one: see below)
#   RESULTS       also write the table to this file

set -euo pipefail
cd "$(dirname "$0")/.."
REPO=$PWD

SCALES=${SCALES:-"1 10 100"}
RUNS=${RUNS:-5}
RUNS_LARGE=${RUNS_LARGE:-3}
MDBOOK_MAX=${MDBOOK_MAX:-10}
DATA=${DATA:-$REPO/target/bench-data}
# Outputs go to a tmpfs by default. On an ext4 without a journal (this
# machine's /tmp), creating an inode skips every inode freed in the last
# minutes (`recently_deleted`), so each `rm -rf` of an output slows the file
# creation of whatever runs next, run after run: the order of the tools, not
# the tools, would decide. OUT=/tmp/... measures that file system anyway.
if [ -z "${OUT:-}" ]; then
  if [ -d /dev/shm ] && [ -w /dev/shm ]; then OUT=/dev/shm/refbook-bench; else OUT=/tmp/refbook-bench; fi
fi
TIME=/usr/bin/time

die() { echo "bench: $*" >&2; exit 1; }
[ -x "$TIME" ] || die "/usr/bin/time is missing: apt-get install -y time"
command -v python3 >/dev/null || die "python3 is missing"

if [ -z "${REFBOOK:-}" ]; then
  cargo build --release --quiet
  REFBOOK=$(cargo metadata --format-version 1 --no-deps |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["target_directory"])')/release/refbook
fi
[ -x "$REFBOOK" ] || die "no refbook binary at $REFBOOK"
MDBOOK=$(command -v mdbook || echo "$HOME/.cargo/bin/mdbook")
[ -x "$MDBOOK" ] || MDBOOK=
HUGO=$(command -v hugo || true)
ZOLA=${ZOLA:-$(command -v zola || echo "${ZOLA_TARGET:-/work/target-zola}/release/zola")}
[ -x "$ZOLA" ] || ZOLA=
mkdir -p "$OUT"
LOAD0=$(cut -d" " -f1-3 /proc/loadavg)

# One measured run: wall seconds (bash clock, microseconds) and peak RSS (KiB).
# Sets WALL and RSS. The command's output is discarded; a failure is fatal.
measure() {
  local t0 t1
  t0=$EPOCHREALTIME
  if ! "$TIME" -f "%M" -o "$OUT/rss" "$@" >"$OUT/log" 2>&1; then
    cat "$OUT/log" >&2
    die "failed: $*"
  fi
  t1=$EPOCHREALTIME
  WALL=$(python3 -c "print(f'{$t1 - $t0:.4f}')")
  RSS=$(tail -n1 "$OUT/rss")
}

median() { python3 -c 'import statistics,sys; print(statistics.median(float(x) for x in sys.argv[1:]))' "$@"; }

# The tools, as name -> command builder (source dir, output dir).
run_tool() { # name src out
  case $1 in
    refbook) measure "$REFBOOK" build "$2" -d "$3" ;;
    mdbook) measure "$MDBOOK" build "$2" -d "$3" ;;
    hugo | hugo-ref) measure "$HUGO" --quiet -s "$2" -d "$3" ;;
    zola) measure "$ZOLA" --root "$2" build --output-dir "$3" ;;
    copy) measure cp -r "$2" "$3" ;;
  esac
}

declare -A MED_T MED_M SKIP
TABLE=()
row() { TABLE+=("$1"); }

machine="$(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
cpu=$(awk -F': ' '/model name/ {print $2; exit}' /proc/cpuinfo)
versions="refbook $("$REFBOOK" --version 2>/dev/null | awk '{print $NF}')"
[ -n "$MDBOOK" ] && versions+=", mdBook $("$MDBOOK" --version | awk '{print $NF}')"
[ -n "$HUGO" ] && versions+=", Hugo $("$HUGO" version | awk '{print $2}')"
[ -n "$ZOLA" ] && versions+=", Zola $("$ZOLA" --version | awk '{print $NF}')"

for S in $SCALES; do
  src=$DATA/s$S
  if [ ! -f "$src/PAGES" ]; then
    echo "bench: generating S=$S into $src" >&2
    python3 tools/scale.py "$S" "$src" >&2
  fi
  pages=$(cat "$src/PAGES")
  runs=$RUNS
  [ "$S" -gt 10 ] && runs=$RUNS_LARGE
  tools=(refbook)
  if [ -z "$MDBOOK" ]; then SKIP[mdbook,$S]="not installed"
  elif [ "$S" -gt "$MDBOOK_MAX" ]; then SKIP[mdbook,$S]="skipped (S > MDBOOK_MAX=$MDBOOK_MAX: quadratic, see S=10)"
  else tools+=(mdbook); fi
  if [ -z "$HUGO" ]; then SKIP[hugo,$S]="not installed"; SKIP[hugo-ref,$S]="not installed"
  else tools+=(hugo hugo-ref); fi
  if [ -z "$ZOLA" ]; then SKIP[zola,$S]="not installed (bench/zola.sh builds it)"
  else tools+=(zola); fi
  tools+=(copy)
  declare -A T M
  T=(); M=()
  # The copy floor copies refbook's own output: build it once first.
  rm -rf "$OUT/site-$S"
  "$REFBOOK" build "$src/refbook" -d "$OUT/site-$S" >/dev/null
  total_pages=$(find "$OUT/site-$S" -name '*.html' | wc -l)
  for ((i = 1; i <= runs; i++)); do
    for tool in "${tools[@]}"; do
      case $tool in
        copy) in=$OUT/site-$S ;;
        *) in=$src/$tool ;;
      esac
      dst=$OUT/out-$tool
      rm -rf "$dst"
      sync
      run_tool "$tool" "$in" "$dst"
      T[$tool]+=" $WALL"
      M[$tool]+=" $RSS"
      echo "bench: S=$S run $i/$runs $tool ${WALL}s ${RSS}KiB" >&2
    done
  done
  for tool in "${tools[@]}"; do
    # shellcheck disable=SC2086
    MED_T[$tool,$S]=$(median ${T[$tool]})
    # shellcheck disable=SC2086
    MED_M[$tool,$S]=$(median ${M[$tool]})
  done
  for tool in refbook mdbook hugo hugo-ref zola copy; do
    name=$tool
    case $tool in
      mdbook) name="mdBook" ;; hugo) name="Hugo" ;; hugo-ref) name="Hugo, ref shortcodes" ;; zola) name="Zola" ;;
      copy) name="floor: cp -r of refbook's output" ;;
    esac
    if [ -n "${SKIP[$tool,$S]:-}" ]; then
      row "| S=$S | $name | $(printf "%'d" "$pages") | ${SKIP[$tool,$S]} | | | | |"
      continue
    fi
    [ -n "${MED_T[$tool,$S]:-}" ] || continue
    row "$(python3 - "$S" "$name" "$tool" "$pages" "${MED_T[$tool,$S]}" "${MED_M[$tool,$S]}" \
      "${MED_T[refbook,$S]}" "${MED_T[copy,$S]}" "$runs" "$total_pages" <<'EOF'
import sys
S, name, tool, pages, t, m, rb, cp, runs, total = sys.argv[1:]
pages, t, m, rb, cp = int(pages), float(t), float(m), float(rb), float(cp)
ms = f"{t*1000:.0f} ms" if t < 1 else f"{t:.2f} s"
speed = f"{pages/t:,.0f}"
mem = f"{m/1024:.0f} MiB"
if tool == "refbook":
    vs = "1x"
    note = f"{total} HTML files in all"
elif tool == "copy":
    vs = f"refbook is {rb/t:.1f}x the floor"
    note = ""
else:
    vs = f"refbook {t/rb:.1f}x faster"
    note = ""
print(f"| S={S} | {name} | {pages:,} | {ms} | {speed} | {mem} | {vs} | {runs} runs{', ' + note if note else ''} |")
EOF
)"
  done
  unset T M
done

# The shipped book, end to end with process start.
SHIPPED=""
if command -v hyperfine >/dev/null; then
  hyperfine --style basic --warmup 3 --runs 30 --export-markdown "$OUT/shipped.md" \
    --prepare "rm -rf $OUT/shipped-fresh" \
    -n "refbook build (fresh directory)" "$REFBOOK build $REPO -d $OUT/shipped-fresh" \
    -n "refbook build (over the last build)" "$REFBOOK build $REPO -d $OUT/shipped-again" >&2
  SHIPPED=$(cat "$OUT/shipped.md")
  "$TIME" -f "%M" -o "$OUT/rss" "$REFBOOK" build "$REPO" -d "$OUT/shipped-again" >/dev/null
  SHIPPED+=$'\n'"Peak memory of the shipped book's build: $(( $(tail -n1 "$OUT/rss") / 1024 )) MiB; $(find "$OUT/shipped-again" -name '*.html' | wc -l) HTML files."
else
  SHIPPED="hyperfine is missing (apt-get install -y hyperfine)"
fi

{
  echo "Machine: $machine; $cpu; outputs on $(df -T "$OUT" | awk 'NR==2 {print $2}') ($OUT)"
  echo "Date: $(date -u '+%Y-%m-%d %H:%M UTC'); load average before/after: $LOAD0 / $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "Versions: $versions"
  echo
  echo "| size | tool | element pages | median build | pages/s | peak memory | vs refbook | notes |"
  echo "|---|---|---|---|---|---|---|---|"
  printf '%s\n' "${TABLE[@]}"
  echo
  echo "Shipped book ($REPO):"
  echo
  echo "$SHIPPED"
} | tee "${RESULTS:-/dev/null}"
