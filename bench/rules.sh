#!/bin/sh
# rules.sh - the cost of the shipped rule pack (issue 7) on the Go standard library: omen without
# rules, omen with the pack, omen running only the pack, and ast-grep running the same Go rules
# ported to its format (bench/ast-grep/). Prints figures (best of 3, one core for omen); it is a
# benchmark, not a test. usage: sh bench/rules.sh [CORPUS_DIR]   (default /usr/share/go-1.19/src)
# ast-grep comes from npm (@ast-grep/cli) into $AST_GREP_DIR (default /tmp/omen-ast-grep); nothing
# is installed in the repository.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
corpus=${1:-/usr/share/go-1.19/src}
build=${OMEN_BUILD:-$root/build-bench}
agdir=${AST_GREP_DIR:-/tmp/omen-ast-grep}
if [ -z "${OMEN_BUILD:-}" ]; then # OMEN_BUILD=DIR: use that (Release) build as it is
  cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DOMEN_TESTS=OFF >/dev/null
  cmake --build "$build" -j"$(nproc)" >/dev/null
fi
if [ ! -x "$agdir/node_modules/.bin/ast-grep" ]; then
  command -v npm >/dev/null 2>&1 || { echo "rules.sh: npm is required for ast-grep" >&2; exit 1; }
  mkdir -p "$agdir"
  (cd "$agdir" && npm install --silent --no-audit --no-fund @ast-grep/cli >/dev/null)
fi
sg="$agdir/node_modules/.bin/ast-grep"
out=$(mktemp)
trap 'rm -f "$out" "$out.t"' EXIT

# best of 3: wall time, CPU time (user+sys), peak RSS, and the number of findings of the last run
measure() { # label count-command command...
  label=$1; count=$2; shift 2
  best_of_3 "$out" "$@"
  n=$($count <"$out")
  printf '%-34s %9s %9s %9s %9s\n' "$label" "$best" "$cpu" "$((rss / 1024))" "$n"
  echo "$label $cpu" >>"$out.cpu"
}
count_omen() { python3 -c 'import json,sys; print(len(json.load(sys.stdin)["diagnostics"]))' 2>/dev/null || echo "?"; }
count_pack() {
  python3 -c 'import json,sys,glob,re
ids=set()
for p in glob.glob(sys.argv[1]+"/rules/*/*.yml"):
    ids.update(re.findall(r"^  - id: (\S+)", open(p).read(), re.M))
print(sum(1 for f in json.load(sys.stdin)["diagnostics"] if f["rule"] in ids))' "$root" 2>/dev/null || echo "?"
}
count_lines() { grep -c 'warning\[' || true; }

omen="$build/omen"
files=$(find "$corpus" -name '*.go' | wc -l)
echo "corpus: $corpus ($files .go files), $(nproc) cores, $(uname -m)"
echo "omen $("$omen" version | awk '{print $2}'), commit $(git -C "$root" rev-parse --short HEAD 2>/dev/null || echo unknown); ast-grep $("$sg" --version | awk '{print $2}')"
echo "rules: $(ls "$root"/rules/go/*.yml | wc -l) Go rule files in rules/go, the same rules in bench/ast-grep/rules"
echo
printf '%-34s %9s %9s %9s %9s\n' "run (1 thread)" "wall (s)" "CPU (s)" "RSS MB" "findings"
rm -f "$out.cpu"
measure "omen, no rules" count_omen "$omen" check -j 1 --no-default-rules --format json "$corpus"
measure "omen, with the pack" count_omen "$omen" check -j 1 --no-default-rules --rules "$root/rules" --format json "$corpus"
measure "omen, the pack only (rule-pack)" count_pack "$omen" check -j 1 --enable rule-pack --no-default-rules --rules "$root/rules" --format json "$corpus"
measure "ast-grep, the ported rules" count_lines "$sg" scan -j 1 --report-style short -c "$root/bench/ast-grep/sgconfig.yml" "$corpus"
echo
awk '{cpu[NR]=$NF} END {
  printf "pack overhead on a full omen run: %.1f%% more CPU\n", (cpu[2] - cpu[1]) * 100 / cpu[1];
  printf "ast-grep / omen pack-only CPU: %.2fx\n", cpu[4] / cpu[3] }' "$out.cpu"
rm -f "$out.cpu"
