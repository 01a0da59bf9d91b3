#!/bin/sh
# run.sh - measures omen on the Go standard library source against a bare tree-sitter parse of the
# same files: wall time on 1 and on all cores, lines per second, peak RSS. Prints figures; it is
# a benchmark, not a test. usage: sh bench/run.sh [CORPUS_DIR]   (default /usr/share/go-1.19/src)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
sh "$root/tools/deps.sh" --bench
corpus=${1:-/usr/share/go-1.19/src}
build="$root/build-bench"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DOMEN_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
cores=$(nproc)
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# best of 3 wall times; peak RSS of the best run
measure() { # label command...
  label=$1; shift
  best=""; rss=""
  for i in 1 2 3; do
    /usr/bin/time -f "%e %M" -o "$out.t" "$@" >"$out" 2>/dev/null || true
    read -r t m <"$out.t"
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then
      best=$t; rss=$m
    fi
  done
  rm -f "$out.t"
  echo "$label $best $rss"
}

lines=$("$build/omen-bench-parse" -j "$cores" "$corpus" | awk '{print $4}')
files=$("$build/omen-bench-parse" -j "$cores" "$corpus" | awk '{print $2}')
echo "corpus: $corpus ($files .go files, $lines lines), $cores cores, $(uname -m)"
echo "omen $("$build/omen" version | awk '{print $2}'), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo
printf '%-28s %10s %14s %12s\n' "run" "wall (s)" "lines/s" "peak RSS MB"
results=""
for spec in "parse-1:1" "parse-$cores:$cores" "omen-1:1" "omen-$cores:$cores"; do
  label=${spec%%:*}; j=${spec#*:}
  case $label in
    parse*) r=$(measure "$label" "$build/omen-bench-parse" -j "$j" "$corpus") ;;
    omen*) r=$(measure "$label" "$build/omen" check -q -j "$j" --format json -o /dev/null "$corpus") ;;
  esac
  set -- $r
  printf '%-28s %10s %14.0f %12.1f\n' "$1" "$2" "$(awk "BEGIN{print $lines / $2}")" "$(awk "BEGIN{print $3 / 1024}")"
  results="$results $1=$2"
done
p1=""; pn=""; o1=""; on=""
for kv in $results; do
  case $kv in
    parse-1=*) p1=${kv#*=} ;;
    parse-*=*) pn=${kv#*=} ;;
    omen-1=*) o1=${kv#*=} ;;
    omen-*=*) on=${kv#*=} ;;
  esac
done
echo
echo "omen / bare parse, 1 core:      $(awk "BEGIN{printf \"%.2fx\", $o1 / $p1}")  (target <= 1.5x)"
echo "omen speed-up 1 -> $cores cores:       $(awk "BEGIN{printf \"%.2fx\", $o1 / $on}")"
echo "bare parse speed-up 1 -> $cores cores: $(awk "BEGIN{printf \"%.2fx\", $p1 / $pn}")"
