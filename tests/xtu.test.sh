#!/bin/sh
# xtu.test.sh - lock orders across translation units (c-deadlock's run-level phase) on the project
# in testdata/c-xtu: with a compile database (-p) and with files named directly, at -j1 and -j2;
# configuration, suppression comments (and unused ones), JSON and SARIF for the run-level finding.
# usage: sh xtu.test.sh OMEN SOURCE_DIR BUILD_DIR
set -u
OMEN=$1
SRC=$2
. "$SRC/tests/lib.sh"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
RULE='deadlock/mutex-order-inversion-across-files'
mkdir -p "$T/p/build"
cp "$SRC"/testdata/c-xtu/*.c "$SRC"/testdata/c-xtu/*.h "$T/p/"
cd "$T/p" || exit 2
sed -i 's| // want .*||' *.c # (the analysistest annotations would hide the suppression comments added below)
{
  printf '['
  sep=''
  for f in conn.c pool.c stats.c; do
    printf '%s\n {"directory": "%s/build", "file": "../%s", "arguments": ["cc", "-c", "-I..", "-DNDEBUG", "../%s", "-o", "%s.o"]}' \
      "$sep" "$T/p" "$f" "$f" "$f"
    sep=','
  done
  printf '\n]\n'
} >build/compile_commands.json

# with the compile database, one worker and two: the two inversions once each, in conn.c
expect_rc 1 "-p build -j1" "$OMEN" check --no-config -p build -j1 .
cp "$T/out" "$T/j1"
count "$T/j1" "\[$RULE\]" 3 "three cross-file inversions"
has "$T/j1" "^conn.c:19:3: warning: struct pool::lock is locked while holding struct conn::lock, but pool.c locks them" "conn/pool inversion at conn.c:19"
has "$T/j1" "^conn.c:99:3: warning: reg_lock is locked while holding log_lock, but pool.c" "log/reg inversion at conn.c:99"
has "$T/j1" "^conn.c:28:3: warning: stats_lock is locked (by stats_add, in stats.c) while holding struct conn::lock, but stats.c" "through a call to another file's function"
has "$T/j1" "stats.c:16:3: note: stats_add locks stats_lock here" "where the other file's function locks"
has "$T/j1" "pool.c:20:5: note: and then struct conn::lock here" "the other file's acquisition (through conn_lock) is related"
count "$T/j1" "\[deadlock/mutex-order-inversion\]" 1 "the in-file inversion stays the in-file rule's"
hasnt "$T/j1" "^stats.c.*$RULE" "nothing across files for what stats.c inverts itself"
hasnt "$T/j1" "cache_lock\|hdr_lock\|scratch\|struct job\|queue_lock" "file statics, header statics, locals, .c structs and globals no header shares never match"
expect_rc 1 "-p build -j2" "$OMEN" check --no-config -p build -j2 .
if cmp -s "$T/j1" "$T/out"; then ok; else bad "-j2 differs from -j1"; fi
# files named directly, no database
expect_rc 1 "files named" "$OMEN" check --no-config -j2 tool_b.c stats.c pool.c conn.c tool_a.c
if cmp -s "$T/j1" "$T/out"; then ok; else bad "naming the files differs from -p"; fi
# without pool.c only the inversion between conn.c and stats.c is left
expect_rc 1 "two files" "$OMEN" check --no-config -j2 conn.c stats.c
count "$T/out" "\[$RULE\]" 1 "no inversion without the other file"
hasnt "$T/out" "pool.c" "nothing pairs with pool.c"
# disabled analyzer, rule off in the configuration, severity from the configuration
expect_rc 0 "--disable c-deadlock" "$OMEN" check --no-config --disable c-deadlock .
printf 'rules:\n  %s: off\n' "$RULE" >"$T/off.yml"
"$OMEN" check --config "$T/off.yml" . >"$T/out" 2>&1
hasnt "$T/out" "$RULE" "rule off in .omen.yml"
printf 'rules:\n  %s: error\n' "$RULE" >"$T/err.yml"
"$OMEN" check --config "$T/err.yml" . >"$T/out" 2>&1
count "$T/out" "error: .*\[$RULE\]" 3 "severity from .omen.yml"

# JSON and SARIF carry it, with the related locations in the other file
"$OMEN" check --no-config --format json . >"$T/json" 2>/dev/null
has "$T/json" "\"rule\":[[:space:]]*\"$RULE\"" "JSON rule id"
has "$T/json" '"path":[[:space:]]*"pool.c"' "JSON related location in pool.c"
count "$T/json" '"fingerprint":' 4 "every finding has its fingerprint (for baselines and SARIF)"
count "$T/json" '"scope":[[:space:]]*"conn_close"' 1 "the run-level finding names its function"
"$OMEN" check --no-config --format sarif . >"$T/sarif" 2>/dev/null
has "$T/sarif" "\"ruleId\":[[:space:]]*\"$RULE\"" "SARIF ruleId"
has "$T/sarif" '"relatedLocations"' "SARIF related locations"

# a baseline taken now hides them, also after an edit above them (lines shift)
"$OMEN" baseline write "$T/base.json" --no-config . >/dev/null 2>&1
sed -i '1s|^|/* a new first line */\n|' conn.c
"$OMEN" check --no-config --baseline "$T/base.json" . >"$T/out" 2>&1
hasnt "$T/out" "$RULE" "baseline matches the run-level findings (fingerprints)"
sed -i '1d' conn.c

# a suppression on the reported line: suppressed (kept in JSON), not reported as unused
sed -i '19s|$| //omen:ignore deadlock/mutex-order-inversion-across-files pool_drain runs only at shutdown|' conn.c
expect_rc 1 "suppressed" "$OMEN" check --no-config -j2 .
count "$T/out" "\[$RULE\]" 2 "the suppressed inversion is left out"
hasnt "$T/out" "conn.c:19:.*$RULE" "not at the suppressed line"
hasnt "$T/out" "unused-ignore" "a suppression matched by the run-level phase is used"
has "$T/out" "1 suppressed" "counted as suppressed"
expect_rc 0 "one file" "$OMEN" check --no-config conn.c
hasnt "$T/out" "unused-ignore" "one unit alone (as in the editor) cannot tell that a cross-file suppression is unused"
"$OMEN" check --no-config --format json . >"$T/json" 2>/dev/null
has "$T/json" '"justification":[[:space:]]*"pool_drain runs only at shutdown"' "JSON keeps the suppressed finding with its reason"
# a suppression of the rule where it finds nothing is reported as unused, once
sed -i '42s|$| //omen:ignore deadlock/mutex-order-inversion-across-files nothing here|' conn.c
"$OMEN" check --no-config -j2 . >"$T/out" 2>&1
count "$T/out" "conn.c:42:.*omen/unused-ignore" 1 "unused run-level suppression reported"
count "$T/out" "unused-ignore" 1 "only that one"
finish
