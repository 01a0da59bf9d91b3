#!/bin/sh
# c.sh - omen on C code against `clang -fsyntax-only` over the same translation units (the cost of
# parsing alone, which libclang's parse inside omen pays too) and, side by side, clang-tidy running
# its concurrency-* and bugprone-* checks on them. The corpus is omen's own engine and analyzers
# (src/*.c analyzers/*.c: real C with real headers: libclang, tree-sitter, cJSON, libyaml), all
# three tools given the same flags from the compile database CMake writes. Prints CPU and wall time,
# best of 3; a benchmark, not a test. usage: sh bench/c.sh
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
sh "$root/tools/deps.sh" --bench-c
build="$root/build-bench"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DOMEN_TESTS=OFF -DCMAKE_EXPORT_COMPILE_COMMANDS=ON >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
out=$(mktemp)
trap 'rm -f "$out" "$out.t"' EXIT
cd "$root"
files=$(ls src/*.c analyzers/*.c)
# the flags CMake compiles src/driver.c with (the same for every file of the omen_core library),
# without the compiler, -o OUT, -c FILE and warnings
flags=$(node -e '
const db = require(process.argv[1]);
const e = db.find((x) => x.file.endsWith("/src/driver.c"));
const a = (e.arguments || e.command.split(/\s+/)).slice(1);
const out = [];
for (let i = 0; i < a.length; i++) {
  if (a[i] === "-o" || a[i] === "-c") { i++; continue; }
  if (/^-W/.test(a[i]) || a[i] === "") continue;
  out.push(a[i]);
}
console.log(out.join(" "));' "$build/compile_commands.json")
n=$(echo "$files" | wc -l)
lines=$(cat $files | wc -l)
echo "$n C files ($lines lines) of omen itself, $(nproc) cores, load average $(cut -d' ' -f1 /proc/loadavg)"

# best of 3: CPU seconds (user+sys) and wall seconds of the run with the least CPU
measure() { # label command
  best=""; wall=""
  for i in 1 2 3; do
    /usr/bin/time -f "%e %U %S" -o "$out.t" sh -c "$2" >"$out" 2>&1 || true
    read -r e u s <<EOF_T
$(tail -n 1 "$out.t")
EOF_T
    cpu=$(echo "$u + $s" | bc)
    if [ -z "$best" ] || [ "$(echo "$cpu < $best" | bc)" = 1 ]; then best=$cpu; wall=$e; fi
  done
  printf '%-48s %7.2f s CPU %7.2f s wall\n' "$1" "$best" "$wall"
}
# shellcheck disable=SC2086
measure "clang -fsyntax-only (one process, all files)" "clang-14 -fsyntax-only -w $flags $(echo $files)"
c1=$best
measure "omen check -j1 -p build-bench" "'$build/omen' check -q -j1 -p '$build' -o /dev/null $(echo $files)"
o1=$best
measure "clang-tidy -checks=-*,concurrency-*,bugprone-*" "clang-tidy-14 --quiet -p '$build' --checks='-*,concurrency-*,bugprone-*' $(echo $files)"
t1=$best
printf 'CPU time relative to clang -fsyntax-only: omen %.2fx, clang-tidy %.2fx\n' \
  "$(echo "$o1 / $c1" | bc -l)" "$(echo "$t1 / $c1" | bc -l)"
