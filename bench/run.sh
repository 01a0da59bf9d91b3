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

# best of 3 runs: wall time, peak RSS and CPU time (user+sys) of the fastest. CPU time is what the
# 1-core ratio uses: it barely moves when other work shares the machine, wall time does.
measure() { # label command...
  label=$1; shift
  best=""; rss=""; cpu=""
  for i in 1 2 3; do
    /usr/bin/time -f "%e %M %U %S" -o "$out.t" "$@" >"$out" 2>/dev/null || true
    read -r t m u sy <<EOF_T
$(tail -n 1 "$out.t")
EOF_T
    if [ -z "$best" ] || awk "BEGIN{exit !($t < $best)}"; then
      best=$t; rss=$m; cpu=$(awk "BEGIN{print $u + $sy}")
    fi
  done
  rm -f "$out.t"
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
echo "omen / bare parse, 1 core:      $(awk "BEGIN{printf \"%.2fx\", $co1 / $cp1}") by CPU time, $(awk "BEGIN{printf \"%.2fx\", $o1 / $p1}") by wall time  (target <= 1.5x)"
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
