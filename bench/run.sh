#!/bin/sh
# run.sh - measures omen on the Go standard library source against a bare tree-sitter parse of the
# same files: wall time on 1 and on all cores, lines per second, peak RSS. Prints figures; it is
# a benchmark, not a test. usage: sh bench/run.sh [--instructions] [CORPUS_DIR]
# (default corpus /usr/share/go-1.19/src). With --instructions it also counts the instructions both
# runs execute (valgrind's callgrind, about ten minutes): a figure a busy machine cannot blur.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
instr=""
if [ "${1:-}" = "--instructions" ]; then
  instr=1
  shift
fi
if [ -n "$instr" ]; then sh "$root/tools/deps.sh" --bench-instructions; else sh "$root/tools/deps.sh" --bench; fi
corpus=${1:-/usr/share/go-1.19/src}
build="$root/build-bench"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DOMEN_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
cores=$(nproc)
out=$(mktemp)
trap 'rm -f "$out"' EXIT

# best of 3 runs: wall time, peak RSS and CPU time (user+sys) of the fastest (bench/lib.sh)
measure() { # label command...
  label=$1; shift
  best_of_3 "$out" "$@"
  echo "$label $best $rss $cpu"
}

lines=$("$build/omen-bench-parse" -j "$cores" "$corpus" | awk '{print $4}')
files=$("$build/omen-bench-parse" -j "$cores" "$corpus" | awk '{print $2}')
echo "corpus: $corpus ($files .go files, $lines lines), $cores cores, $(uname -m)"
echo "omen $("$build/omen" version | awk '{print $2}'), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo
printf '%-12s %10s %10s %14s %12s\n' "run" "wall (s)" "CPU (s)" "lines/s" "peak RSS MB"
results=""
for spec in "parse-1:1" "parse-$cores:$cores" "omen-1:1" "omen-$cores:$cores"; do
  label=${spec%%:*}; j=${spec#*:}
  case $label in
    parse*) r=$(measure "$label" "$build/omen-bench-parse" -j "$j" "$corpus") ;;
    # the same files as the bare parse: the corpus's few cgo .c files are left out
    omen*) r=$(measure "$label" "$build/omen" check -q -j "$j" --format json -o /dev/null --exclude '*.c' "$corpus") ;;
  esac
  set -- $r
  printf '%-12s %10s %10s %14.0f %12.1f\n' "$1" "$2" "$4" "$(awk "BEGIN{print $lines / $2}")" "$(awk "BEGIN{print $3 / 1024}")"
  results="$results $1=$2 cpu$1=$4"
done
p1=""; pn=""; o1=""; on=""; cp1=""; co1=""
for kv in $results; do
  case $kv in
    cpuparse-1=*) cp1=${kv#*=} ;;
    cpuomen-1=*) co1=${kv#*=} ;;
    cpu*) ;;
    parse-1=*) p1=${kv#*=} ;;
    parse-*=*) pn=${kv#*=} ;;
    omen-1=*) o1=${kv#*=} ;;
    omen-*=*) on=${kv#*=} ;;
  esac
done
echo
echo "omen / bare parse, 1 core (best runs above): $(awk "BEGIN{printf \"%.2fx\", $co1 / $cp1}") by CPU time, $(awk "BEGIN{printf \"%.2fx\", $o1 / $p1}") by wall time"

# The ratio that counts. On a shared machine the speed drifts while the runs above go one after
# the other, so run 7 pairs (a bare parse and an omen run back to back, alternating which goes
# first) and compare the fastest of each by CPU time; the median of the per-pair ratios is printed
# beside it to show the spread.
cpu_of() { # command... -> user+sys seconds
  /usr/bin/time -f "%U %S" -o "$out.t" "$@" >/dev/null 2>&1 || true
  tail -n 1 "$out.t" | awk '{print $1 + $2}'
}
ratios=""; pmin=""; omin=""
for i in 1 2 3 4 5 6 7; do
  if [ $((i % 2)) -eq 1 ]; then
    p=$(cpu_of "$build/omen-bench-parse" -j 1 "$corpus")
    o=$(cpu_of "$build/omen" check -q -j 1 --format json -o /dev/null --exclude '*.c' "$corpus")
  else
    o=$(cpu_of "$build/omen" check -q -j 1 --format json -o /dev/null --exclude '*.c' "$corpus")
    p=$(cpu_of "$build/omen-bench-parse" -j 1 "$corpus")
  fi
  ratios="$ratios $(awk "BEGIN{printf \"%.3f\", $o / $p}")"
  if [ -z "$pmin" ] || awk "BEGIN{exit !($p < $pmin)}"; then pmin=$p; fi
  if [ -z "$omin" ] || awk "BEGIN{exit !($o < $omin)}"; then omin=$o; fi
done
rm -f "$out.t"
set -- $(echo $ratios | tr ' ' '\n' | sort -n | tr '\n' ' ')
echo "omen / bare parse, 1 core, 7 interleaved pairs: fastest omen $omin s / fastest parse $pmin s CPU =" \
  "$(awk "BEGIN{printf \"%.2fx\", $omin / $pmin}")  (target <= 1.5x); per-pair median $(awk "BEGIN{printf \"%.2fx\", $4}")," \
  "range $(awk "BEGIN{printf \"%.2f\", $1}")-$(awk "BEGIN{printf \"%.2f\", $7}")"
echo "omen speed-up 1 -> $cores cores:       $(awk "BEGIN{printf \"%.2fx\", $o1 / $on}")"
echo "bare parse speed-up 1 -> $cores cores: $(awk "BEGIN{printf \"%.2fx\", $p1 / $pn}")"

# How parallel is this machine? Two single-threaded bare parses at once, against one alone: on
# $cores real cores they take about as long as one; on a CPU quota of one core, twice as long.
start=$(date +%s.%N)
"$build/omen-bench-parse" -j 1 "$corpus" >/dev/null &
"$build/omen-bench-parse" -j 1 "$corpus" >/dev/null
wait
both=$(awk "BEGIN{print $(date +%s.%N) - $start}")
echo "machine check: two 1-thread parses at once took $(awk "BEGIN{printf \"%.2f\", $both}") s, one alone $p1 s" \
  "(ratio $(awk "BEGIN{printf \"%.2f\", $both / $p1}"); 1.0 = two real cores, 2.0 = one core's worth of CPU)"

if [ -n "$instr" ]; then
  count() { # command... -> instructions executed
    valgrind --tool=callgrind --callgrind-out-file=/dev/null "$@" 2>&1 >/dev/null | awk '/refs:/{gsub(",", "", $NF); print $NF}'
  }
  ip=$(count "$build/omen-bench-parse" -j 1 "$corpus")
  io=$(count "$build/omen" check -q -j 1 --format json -o /dev/null --exclude '*.c' "$corpus")
  echo "instructions, 1 core: omen $io / bare parse $ip = $(awk "BEGIN{printf \"%.2fx\", $io / $ip}")" \
    "(memory stalls are not in this count: the time ratio runs higher)"
fi
