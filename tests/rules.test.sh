#!/bin/sh
# rules.test.sh - rule packs end to end: omen rules check and test (exit codes, positions), --rules
# on check and fix (a template fix applied by omen fix), rules.files in .omen.yml, configuration
# and suppression of pack rules, omen explain and omen rules listing them, Go, C and C++ matches,
# the shipped pack on and off.
# usage: sh rules.test.sh OMEN SOURCE_DIR BUILD_DIR
set -u
OMEN=$1
SRC=$2
. "$SRC/tests/lib.sh"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
GO_RULES="$SRC/testdata/rules/sample-go.yml"
C_RULES="$SRC/testdata/rules/sample-c.yml"
# the shipped pack stays out of these runs, so the counts below are the sample rules' alone
export OMEN_RULES_DIR="$T/none"

# omen rules check / test
expect_rc 0 "rules check on valid files" "$OMEN" rules check "$GO_RULES" "$C_RULES"
has "$T/out" "3 rules ok" "rules check counts the rules"
expect_rc 0 "rules test on the sample rules" "$OMEN" rules test -v "$SRC/testdata/rules"
has "$T/out" "ok   sample-timer/time-after-in-loop (2 examples)" "rules test -v lists each rule"
has "$T/out" "3 rules, 0 failures" "rules test summary"
printf 'rules:\n  - id: x/y\n    language: go\n    severity: loud\n' >"$T/bad.yml"
expect_rc 1 "rules check on an invalid file" "$OMEN" rules check "$T/bad.yml"
has "$T/err" "bad.yml:2:5: a rule needs 'confidence'" "the error names file, line and column"
expect_rc 2 "rules check on a missing file" "$OMEN" rules check "$T/missing.yml"
expect_rc 2 "rules check without a file" "$OMEN" rules check
# an example that does not match, a good one that does, a fix that gives other text
sed -e 's/case <-time.After(time.Second):/case <-time.Tick(time.Second):/' "$GO_RULES" >"$T/wrong.yml"
expect_rc 1 "rules test with a failing bad example" "$OMEN" rules test "$T/wrong.yml"
has "$T/out" "wrong.yml:28: sample-timer/time-after-in-loop: bad example does not match (go)" "names the example"
sed -e 's/with: "NewTimer"/with: "NewTicker"/' "$GO_RULES" >"$T/wrongfix.yml"
expect_rc 1 "rules test with a wrong fixed text" "$OMEN" rules test "$T/wrongfix.yml"
has "$T/out" "the fix gives:" "a wrong fix is shown"
has "$T/out" "time.NewTicker(time.Second)" "the text the fix gives"
sed -e 's/go func() { <-time.After(time.Second) }()/<-time.After(time.Second)/' \
  "$GO_RULES" >"$T/wronggood.yml"
expect_rc 1 "rules test with a good example that matches" "$OMEN" rules test "$T/wronggood.yml"
has "$T/out" "good example matches 1 time (go)" "a matching good example is named"

# check and fix with --rules: Go, C, C++
mkdir -p "$T/p"
cat >"$T/p/a.go" <<'EOF'
package p

import "time"

func f(c chan int) {
	for {
		select {
		case <-c:
		case <-time.After(time.Second):
		}
	}
}
EOF
cat >"$T/p/w.c" <<'EOF'
#include <pthread.h>
#include <string.h>
static void *worker(void *arg) { char *t = strtok(arg, ","); return t; }
int start(pthread_t *t, char *s) { return pthread_create(t, 0, worker, s); }
EOF
cat >"$T/p/g.cpp" <<'EOF'
#include <mutex>
#include <unistd.h>
std::mutex mu;
void f() { std::lock_guard<std::mutex> g(mu); usleep(100); }
EOF
cd "$T/p" || exit 2
expect_rc 0 "no pack rules: no findings" "$OMEN" check .
expect_rc 1 "--rules FILE --rules FILE" "$OMEN" check --rules "$GO_RULES" --rules "$C_RULES" .
has "$T/out" "a.go:9:10: warning: After in this loop leaves a timer per iteration" "a Go match with its message"
has "$T/out" "w.c:3:44: warning: strtok() keeps hidden static state" "a C match"
has "$T/out" "g.cpp:4:47: warning: usleep while g holds the mutex" "a C++ match"
expect_rc 1 "--rules DIR" "$OMEN" check --rules "$SRC/testdata/rules" --format json .
count "$T/out" '"rule":.*"sample-' 3 "three findings from the directory"
expect_rc 2 "--rules with a broken file" "$OMEN" check --rules "$T/bad.yml" .
has "$T/err" "bad.yml:2:5" "--rules errors name the position"
expect_rc 1 "SARIF lists pack rules" "$OMEN" check --rules "$GO_RULES" --format sarif .
has "$T/out" '"id":.*"sample-timer/time-after-in-loop"' "the SARIF rule entry"
# suppression comments work for pack rules
sed 's|case <-time.After(time.Second):|case <-time.After(time.Second): //omen:ignore sample-timer/time-after-in-loop reviewed|' a.go >a2.go.txt
mkdir -p "$T/s" && mv a2.go.txt "$T/s/a.go"
expect_rc 0 "an //omen:ignore suppresses a pack finding" "$OMEN" check --rules "$GO_RULES" "$T/s"
# configuration: rules.files, severities, off
printf 'rules:\n  files: [%s]\n  sample-timer/time-after-in-loop: error\n' "$GO_RULES" >.omen.yml
expect_rc 1 "rules.files in .omen.yml" "$OMEN" check a.go
has "$T/out" "a.go:9:10: error: " "the configured severity"
printf 'rules:\n  files: [r/]\n  sample-timer: off\n' >.omen.yml
mkdir -p r && cp "$GO_RULES" r/
expect_rc 0 "rules.files relative to the file, family off" "$OMEN" check a.go
printf 'rules:\n  files: [nope.yml]\n' >.omen.yml
expect_rc 2 "rules.files naming a missing file" "$OMEN" check a.go
has "$T/err" ".omen.yml:2:11: rules.files: nope.yml: cannot read" "the configuration position"
rm .omen.yml
# a template fix applied by omen fix
expect_rc 0 "omen fix --unsafe-fixes applies the template" "$OMEN" fix --unsafe-fixes --rules "$GO_RULES" a.go
has a.go "case <-time.NewTimer(time.Second):" "the fixed text"
expect_rc 1 "the safe fix of omen fix leaves unsafe ones" "$OMEN" fix --rules "$C_RULES" w.c
has w.c "strtok(arg" "an unsafe fix is not applied without --unsafe-fixes"

# listing, explain, shipped pack on and off
expect_rc 2 "pack rules are unknown without their file" "$OMEN" explain sample-timer/time-after-in-loop
mkdir -p "$T/shipped/go" && cp "$GO_RULES" "$T/shipped/go/"
expect_rc 0 "explain a shipped rule" env OMEN_RULES_DIR="$T/shipped" "$OMEN" explain sample-timer/time-after-in-loop
has "$T/out" "## sample-timer/time-after-in-loop" "the rule's section"
has "$T/out" "Reported by: rule-pack" "reported by the rule-pack analyzer"
expect_rc 0 "omen rules lists shipped rules" env OMEN_RULES_DIR="$T/shipped" "$OMEN" rules
has "$T/out" "sample-timer/time-after-in-loop  *warning  *time.After in a loop" "the listing"
mkdir -p "$T/p2" && cp "$T/s/a.go" "$T/p2/a.go" && sed -i 's|//omen:ignore.*||' "$T/p2/a.go"
expect_rc 1 "the shipped pack is on by default" env OMEN_RULES_DIR="$T/shipped" "$OMEN" check "$T/p2"
expect_rc 0 "--no-default-rules" env OMEN_RULES_DIR="$T/shipped" "$OMEN" check --no-default-rules "$T/p2"
# the shipped pack is installed with the binary and found from the installed binary's directory
BUILD=$3
if cmake --install "$BUILD" --prefix "$T/inst" >/dev/null 2>&1; then
  env -u OMEN_RULES_DIR "$T/inst/bin/omen" rules >"$T/out" 2>&1
  ids=$(find "$SRC/rules" -name '*.yml' -exec sed -n 's/^  - id: *//p' {} +)
  missing=""
  for id in $ids; do
    grep -q "^$id " "$T/out" || missing="$missing $id"
  done
  if [ -n "$ids" ] && [ -z "$missing" ]; then ok; else bad "an installed omen does not list:$missing"; fi
  if [ -f "$T/inst/share/omen/rules/go/defer-close-in-loop.yml" ]; then ok; else bad "the rule files are installed under share/omen/rules"; fi
else
  bad "cmake --install failed"
fi
finish
