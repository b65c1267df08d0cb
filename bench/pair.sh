#!/usr/bin/env bash
# Times two commands in turn (A B A B ...), each as a whole process, and
# prints min, median and max of each one's wall, processor time and peak
# memory, and the ratio A/B taken pair by pair. Pairing keeps a ratio
# meaningful on a shared machine whose speed drifts during the call: read
# the medians, and the spread for how noisy the machine was.
#
#   bash bench/pair.sh [-n RUNS] [--warmup W] [--prepare 'CMD'] --vs 'COMMAND B' -- COMMAND A...
#
# B is one string, split into words as a shell would (quote a pipe or a
# redirection inside sh -c '...'); A is the words after --. Without --vs,
# only A is timed. --prepare's command (run by sh) goes before each run of
# either, untimed: to build into a fresh directory, remove it there. Each
# command's output is thrown away. Needs bash and GNU time (/usr/bin/time),
# as bench/run.sh does.
set -euo pipefail

runs=5 warmup=1 vs="" prepare=""
while [ $# -gt 0 ]; do
  case "$1" in
    -n) runs="$2"; shift 2 ;;
    --warmup) warmup="$2"; shift 2 ;;
    --vs) vs="$2"; shift 2 ;;
    --prepare) prepare="$2"; shift 2 ;;
    --) shift; break ;;
    *) echo "usage: bash bench/pair.sh [-n RUNS] [--warmup W] [--prepare 'CMD'] [--vs 'B'] -- A..." >&2; exit 2 ;;
  esac
done
[ $# -gt 0 ] || { echo "pair.sh: no command A after --" >&2; exit 2; }
a=("$@")
b=()
if [ -n "$vs" ]; then eval "b=($vs)"; fi
[ -x /usr/bin/time ] || { echo "pair.sh: needs GNU time at /usr/bin/time" >&2; exit 2; }

out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT

# One run of the command in "$@": a line "wall user sys peak_KiB exit" to $out/$tag.
once() {
  local tag=$1
  shift
  [ -z "$prepare" ] || sh -c "$prepare" >/dev/null 2>&1 </dev/null
  local t0=$EPOCHREALTIME
  /usr/bin/time -f "%U %S %M %x" -o "$out/one" -- "$@" >/dev/null 2>&1 </dev/null || true
  local t1=$EPOCHREALTIME
  echo "$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.4f", b - a }') $(tail -n 1 "$out/one")" >>"$out/$tag"
}

for ((i = 0; i < warmup; i++)); do
  once warm "${a[@]}"
  [ ${#b[@]} -eq 0 ] || once warm "${b[@]}"
done
for ((i = 0; i < runs; i++)); do
  once A "${a[@]}"
  [ ${#b[@]} -eq 0 ] || once B "${b[@]}"
done

# min, median, max of column $2 of file $1.
stats() {
  awk -v c="$2" '{ print $c }' "$1" | sort -g |
    awk '{ v[NR] = $1 } END { m = (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2;
      printf "%10.3f  %10.3f  %10.3f\n", v[1], m, v[NR] }'
}

# Each run's figures as columns: wall, user, sys, cpu (user + sys), peak
# MiB. A run that failed is timed all the same: say so, as its figures mean
# little.
for tag in A B; do
  [ -f "$out/$tag" ] || continue
  awk '{ printf "%s %s %s %.4f %.2f\n", $1, $2, $3, $2 + $3, $4 / 1024 }' "$out/$tag" >"$out/$tag.cols"
  failed=$(awk '$5 != 0 { n++ } END { print n + 0 }' "$out/$tag")
  [ "$failed" -eq 0 ] || echo "pair.sh: $tag exited non-zero in $failed of $runs runs" >&2
done

printf '%-16s %10s  %10s  %10s   n=%s\n' "" min median max "$runs"
for tag in A B; do
  [ -f "$out/$tag.cols" ] || continue
  printf '%-16s %s\n' "$tag user s" "$(stats "$out/$tag.cols" 2)"
  printf '%-16s %s\n' "$tag sys s" "$(stats "$out/$tag.cols" 3)"
  printf '%-16s %s\n' "$tag cpu s" "$(stats "$out/$tag.cols" 4)"
  printf '%-16s %s\n' "$tag wall s" "$(stats "$out/$tag.cols" 1)"
  printf '%-16s %s\n' "$tag peak MiB" "$(stats "$out/$tag.cols" 5)"
done
if [ -f "$out/B.cols" ]; then
  paste -d' ' "$out/A.cols" "$out/B.cols" |
    awk '{ printf "%.4f %.4f %.4f\n", ($7 > 0 ? $2 / $7 : 0), ($9 > 0 ? $4 / $9 : 0), ($6 > 0 ? $1 / $6 : 0) }' >"$out/ratio"
  printf '%-16s %s\n' "A/B user" "$(stats "$out/ratio" 1)"
  printf '%-16s %s\n' "A/B cpu" "$(stats "$out/ratio" 2)"
  printf '%-16s %s\n' "A/B wall" "$(stats "$out/ratio" 3)"
fi
