#!/bin/sh
# cli.test.sh - end-to-end checks of `omen check` as users run it: walking, skipping, exit codes,
# bad input (binary, huge, FIFO, invalid UTF-8, syntax errors, broken compile databases), -j.
# usage: sh cli.test.sh OMEN SOURCE_DIR BUILD_DIR
set -u
OMEN=$1
SRC=$2
. "$SRC/tests/lib.sh"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$T/p/sub" "$T/p/vendor/v" "$T/p/testdata" "$T/p/node_modules/m" "$T/p/.hidden" "$T/p/gen"
for d in sub vendor/v testdata node_modules/m .hidden gen; do
  printf 'package x\n\nimport "net/http"\n\nfunc F() { http.Get("http://example.com") }\n' >"$T/p/$d/a.go"
done
printf 'package main\n\nfunc main() {}\n' >"$T/p/clean.go"

cd "$T/p" || exit 2

# a clean package: exit 0, summary line
mkdir -p "$T/clean" && cp clean.go "$T/clean/"
expect_rc 0 "clean tree" "$OMEN" check "$T/clean"
has "$T/out" "no findings" "summary of a clean run"

# skipping: vendor, testdata, node_modules, hidden dirs are not walked; --exclude works
"$OMEN" check --format json . >"$T/json" 2>/dev/null
for d in vendor testdata node_modules .hidden; do hasnt "$T/json" "\"$d/" "walk skips $d"; done
has "$T/json" '"sub/a.go"' "walk finds sub/a.go"
has "$T/json" '"gen/a.go"' "walk finds gen/a.go"
"$OMEN" check --format json --exclude 'gen' --exclude '*/nothing/*' . >"$T/json" 2>/dev/null
hasnt "$T/json" '"gen/a.go"' "--exclude gen"
has "$T/json" '"sub/a.go"' "--exclude leaves others"
"$OMEN" check --format json ./... >"$T/json2" 2>/dev/null
"$OMEN" check --format json . >"$T/json3" 2>/dev/null
if cmp -s "$T/json2" "$T/json3"; then ok; else bad "./... differs from ."; fi
"$OMEN" check --format json sub/... >"$T/json4" 2>/dev/null
has "$T/json4" '"sub/a.go"' "sub/... walks sub"
hasnt "$T/json4" '"gen/a.go"' "sub/... stays in sub"
# a directory named explicitly is analyzed even if it would be skipped in a walk
"$OMEN" check --format json testdata >"$T/json5" 2>/dev/null
has "$T/json5" '"testdata/a.go"' "explicit testdata dir"

# exit codes and --fail-on
expect_rc 1 "findings at warning" "$OMEN" check sub
expect_rc 0 "--fail-on error ignores warnings" "$OMEN" check --fail-on error sub
expect_rc 2 "unknown flag" "$OMEN" check --no-such-flag
expect_rc 2 "bad --fail-on" "$OMEN" check --fail-on loud sub
expect_rc 2 "bad --format" "$OMEN" check --format xml sub
expect_rc 2 "bad -j" "$OMEN" check -j 0 sub
expect_rc 2 "missing path" "$OMEN" check does-not-exist
has "$T/err" "does-not-exist" "missing path is named"
expect_rc 2 "unknown analyzer" "$OMEN" check --enable nope sub
has "$T/err" "unknown analyzer 'nope'" "unknown analyzer is named"
expect_rc 2 "disabling a required analyzer" "$OMEN" check --disable go-inspect sub
has "$T/err" "cannot disable go-inspect" "names the required analyzer"
expect_rc 0 "disabling the reporting analyzers" "$OMEN" check --disable go-http-timeout,go-resource-leak sub
expect_rc 0 "--enable another family only" "$OMEN" check --enable c-thread-join sub
expect_rc 2 "unknown command" "$OMEN" frobnicate
expect_rc 0 "--version" "$OMEN" check --version
has "$T/out" "omen " "version printed"
expect_rc 0 "--help" "$OMEN" --help
has "$T/out" "usage: omen" "help printed"

# --output writes the file
expect_rc 1 "--output" "$OMEN" check --format json -o "$T/report.json" sub
has "$T/report.json" '"diagnostics"' "report written to --output"

# bad input: binary, huge, FIFO, invalid UTF-8, syntax errors; the run goes on
mkdir -p "$T/badin"
cd "$T/badin" || exit 2
printf 'package b\n\000\001\002' >binary.go
head -c 9000000 /dev/zero | tr '\0' 'a' >huge.go
mkfifo fifo.go
printf 'package b\n\n// caf\351 \377\376\nfunc G() {}\n' >latin1.go
printf 'package b\n\nfunc broken( {\n' >broken.go
printf 'package b\n\nimport "net/http"\n\nfunc H() { http.Get("x") }\n' >real.go
expect_rc 1 "bad input does not stop the run" "$OMEN" check -j 2 . fifo.go
has "$T/out" "binary.go:1:1: error: .*binary" "binary file reported"
has "$T/out" "huge.go:1:1: error: .*too large" "huge file reported"
has "$T/out" "fifo.go:1:1: error: .*not a regular file" "FIFO reported"
has "$T/out" "broken.go:3:.*omen/syntax-error" "syntax error reported"
has "$T/err" "binary.go" "stderr mentions the skipped file"
hasnt "$T/out" "latin1.go" "invalid UTF-8 in a comment is fine"
expect_rc 1 "quiet keeps stderr clean" "$OMEN" check -q .
if [ -s "$T/err" ]; then bad "-q still wrote to stderr"; else ok; fi

# C: a broken compile database is a clear usage error; a good one is used
mkdir -p "$T/cdb" && cd "$T/cdb" || exit 2
printf 'int main(void) { return 0; }\n' >m.c
printf '[{"directory": "%s", "file": "m.c", "command": "cc -c' "$T/cdb" >compile_commands.json
expect_rc 2 "broken compile_commands.json" "$OMEN" check .
has "$T/err" "compile_commands.json cannot be loaded" "broken compile db message"
expect_rc 2 "-p without a database" "$OMEN" check -p "$T" m.c
printf '[{"directory": "%s", "file": "m.c", "command": "cc -DFOO=1 -Iinc -c m.c"}]\n' "$T/cdb" >compile_commands.json
mkdir -p inc && printf '#define BAR 2\n' >inc/bar.h
printf '#include "bar.h"\nint main(void) { return FOO + BAR; }\n' >m.c
expect_rc 0 "compile db flags are used (include path, define)" "$OMEN" check .
hasnt "$T/out" "compile-error" "no compile error with the database's flags"
rm compile_commands.json
expect_rc 1 "without the database the same file has compile errors" "$OMEN" check .
has "$T/out" "omen/compile-error" "compile error reported"

# a database in build/ whose entries run there, with include paths relative to it (joined and
# separate): every named TU is read and parsed with them, at -j1 and -j2, and the process never
# changes directory (clang would chdir to -working-directory, and the next TU would not be found)
mkdir -p "$T/proj/src" "$T/proj/include" "$T/proj/build" && cd "$T/proj" || exit 2
printf '#define START 1\n' >include/defs.h
for f in a b c; do
  printf '#include <pthread.h>\n#include "defs.h"\n\nstatic void *work(void *arg) { return arg; }\n\nvoid start_%s(void) {\n#if START\n  pthread_t t;\n  pthread_create(&t, NULL, work, NULL);\n#endif\n}\n' $f >src/$f.c
done
printf '[{"directory": "%s/build", "file": "../src/a.c", "arguments": ["cc", "-I../include", "-c", "../src/a.c"]},\n {"directory": "%s/build", "file": "../src/b.c", "command": "cc -I ../include -c ../src/b.c"},\n {"directory": "%s/build", "file": "../src/c.c", "command": "cc -iquote ../include -c ../src/c.c"}]\n' "$T/proj" "$T/proj" "$T/proj" >build/compile_commands.json
for j in 1 2; do
  expect_rc 1 "-p build with relative include paths, -j$j" "$OMEN" check -j$j -p build src/a.c src/b.c src/c.c
  count "$T/out" "thread-not-joined" 3 "-j$j: the three TUs are analyzed with their include paths"
  hasnt "$T/out" "read-error" "-j$j: no TU is lost to a changed directory"
  hasnt "$T/out" "compile-error" "-j$j: the relative include paths are found"
done
# named by absolute path while the database names it relatively: one TU, one finding each
expect_rc 1 "-p build with absolute paths" "$OMEN" check -p build "$T/proj/src/a.c" "$T/proj/src/b.c" src/c.c
count "$T/out" "thread-not-joined" 3 "a TU named by absolute path and found in the database is analyzed once"

# fixes end to end on the demo: --diff | patch -p1 equals --fix; safe-only changes nothing here;
# the fixed tree is gofmt-clean, compiles, and no longer gets the fixed findings
mkdir -p "$T/fixa" "$T/fixb"
cp -r "$SRC/examples/demo/." "$T/fixa/"
cp -r "$SRC/examples/demo/." "$T/fixb/"
cd "$T/fixa" || exit 2
before=$("$OMEN" check --format json . 2>/dev/null | grep -c '"rule":')
"$OMEN" check -q --fix . >/dev/null 2>&1
if diff -r "$SRC/examples/demo" "$T/fixa" >/dev/null; then ok; else bad "--fix without --unsafe-fixes applied an unsafe fix"; fi
"$OMEN" check --fix --unsafe-fixes . >/dev/null 2>"$T/err"
has "$T/err" "applied" "--fix reports what it changed" 
cd "$T/fixb" || exit 2
"$OMEN" check --diff --unsafe-fixes . >"$T/patch" 2>/dev/null
if patch -s -p1 <"$T/patch" && diff -r "$T/fixa" "$T/fixb" >/dev/null; then ok; else bad "--diff | patch -p1 differs from --fix"; fi
has "$T/patch" "Client{Timeout: 30 \* time.Second}" "diff adds the timeout"
has "$T/patch" "+  pthread_detach(t);" "diff detaches the thread"
if [ -z "$(gofmt -l "$T/fixa")" ]; then ok; else bad "fixed Go is not gofmt-clean"; fi
if cc -fsyntax-only "$T/fixa/worker/pool.c"; then ok; else bad "fixed C does not compile"; fi
cd "$T/fixa" || exit 2
after=$("$OMEN" check --format json . 2>/dev/null | grep -c '"rule":')
if [ "$before" -eq 3 ] && [ "$after" -eq 1 ]; then ok; else bad "findings before/after --fix: $before/$after, want 3/1"; fi

# output does not depend on -j
cd "$T/p" || exit 2
"$OMEN" check --format json -j 1 . >"$T/j1" 2>/dev/null
"$OMEN" check --format json -j 4 . >"$T/j4" 2>/dev/null
if cmp -s "$T/j1" "$T/j4"; then ok; else bad "-j 1 and -j 4 differ"; fi

# two statements on one line: the second cancel function has no line of its own for a defer, so its
# finding offers no fix (an analyzer that gives up must not leave a fix with nothing in it)
mkdir -p "$T/oneline"
printf 'package db\n\nimport "context"\n\nfunc use(a, b context.Context) {}\n\nfunc two(parent context.Context) {\n\ta, cancelA := context.WithCancel(parent); b, cancelB := context.WithCancel(parent)\n\tuse(a, b)\n}\n' >"$T/oneline/o.go"
"$OMEN" check --format json "$T/oneline" >"$T/oneline.json" 2>/dev/null
count "$T/oneline.json" '"rule":.*"resource-leak/cancel-not-called"' 2 "both lost cancel functions on one line are found"
hasnt "$T/oneline.json" '"edits":[[:space:]]*\[\]' "no fix without edits"

# omen analyzers / rules
expect_rc 0 "analyzers" "$OMEN" analyzers
has "$T/out" "go-http-timeout" "analyzers lists go-http-timeout"
"$OMEN" analyzers | awk '{print $1}' | grep -n -e '^go-inspect$' -e '^go-http-timeout$' | cut -d: -f2 | tr '\n' ' ' >"$T/ord"
has "$T/ord" "go-inspect go-http-timeout" "base analyzer listed before its dependent"
expect_rc 0 "rules" "$OMEN" rules
has "$T/out" "missing-timeout/http-no-timeout" "rules lists http-no-timeout"
has "$T/out" "thread-leak/thread-not-joined" "rules lists thread-not-joined"
"$OMEN" rules --markdown >"$T/rules.md"
if cmp -s "$T/rules.md" "$SRC/docs/rules.md"; then ok; else bad "docs/rules.md is stale: regenerate with 'omen rules --markdown > docs/rules.md'"; fi

finish
