#!/bin/sh
# sarif-schema.test.sh - validates omen's SARIF against the SARIF 2.1.0 JSON schema (the copy that
# @microsoft/sarif-multitool ships) with ajv-cli; both come from the npm registry, cached in
# BUILD_DIR/_npm. Validates: examples/demo, a small fixture with findings, and the hand-built
# results of tests/test_output (written via OMEN_SARIF_OUT and OMEN_SARIF_OUT_TRUNCATED): one with
# suppressions, partialFingerprints, scopes and start/end times, one cut to limits with notifications.
# usage: sh sarif-schema.test.sh OMEN SOURCE_DIR BUILD_DIR
# exit: 0 all valid, 1 a report is invalid, 2 setup failed, 77 npm missing (skip)
set -u
OMEN=$1
SRC=$2
BUILD=$3
NPM_DIR=$BUILD/_npm
AJV=$NPM_DIR/node_modules/.bin/ajv
SCHEMA=$NPM_DIR/sarif-2.1.0.json
MULTITOOL=@microsoft/sarif-multitool-linux@5.7.0

case $OMEN in /*) ;; *) OMEN=$(pwd)/$OMEN ;; esac
command -v npm >/dev/null 2>&1 || { echo "SKIP: npm is not installed" >&2; exit 77; }
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$NPM_DIR" || exit 2

# ajv-cli, and ajv-formats so "uri" and "date-time" formats are checked too
if ! "$AJV" help >/dev/null 2>&1 || [ ! -d "$NPM_DIR/node_modules/ajv-formats" ]; then
  echo "installing ajv-cli@5.0.0 and ajv-formats@3.0.1 into $NPM_DIR"
  npm install --prefix "$NPM_DIR" --no-audit --no-fund --silent ajv-cli@5.0.0 ajv-formats@3.0.1 >&2 ||
    { echo "FAIL: npm install of ajv-cli failed" >&2; exit 2; }
fi

# the schema: only one file of a large package, so pack (download) and extract, never install
if [ ! -s "$SCHEMA" ]; then
  echo "fetching sarif-2.1.0.json from $MULTITOOL"
  (cd "$T" && npm pack --silent "$MULTITOOL" >/dev/null) || { echo "FAIL: npm pack $MULTITOOL" >&2; exit 2; }
  tarball=$(ls "$T"/*.tgz 2>/dev/null | head -n 1)
  member=$(tar tzf "$tarball" | grep '/sarif-2\.1\.0\.json$' | head -n 1)
  [ -n "$member" ] || { echo "FAIL: no sarif-2.1.0.json in $tarball" >&2; exit 2; }
  tar xzf "$tarball" -C "$T" "$member" || exit 2
  cp "$T/$member" "$SCHEMA.tmp" && mv "$SCHEMA.tmp" "$SCHEMA" || exit 2
  rm -f "$tarball"
fi

# the schema declares draft 2020-12
spec=draft7
grep -q 'json-schema.org/draft/2020-12' "$SCHEMA" && spec=draft2020
grep -q 'json-schema.org/draft/2019-09' "$SCHEMA" && spec=draft2019

fail=0
validate() { # file description
  # ajv picks its parser by extension: the file must end in .json
  if "$AJV" validate --spec="$spec" -c ajv-formats -s "$SCHEMA" -d "$1" >"$T/ajv.out" 2>&1; then
    n=$(node -e 'const s=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));
      console.log(s.runs[0].results.length+" results, "+s.runs[0].tool.driver.rules.length+" rules")' "$1")
    echo "valid: $2 ($n)"
  else
    echo "FAIL: $2 is not valid SARIF 2.1.0:" >&2
    sed 's/^/  | /' "$T/ajv.out" >&2
    fail=1
  fi
}
run_omen() { # dir out description [min-results]
  (cd "$1" && "$OMEN" check -q --format sarif -o "$2" .) 2>"$T/err"
  rc=$?
  if [ "$rc" -gt 1 ] || [ ! -s "$2" ]; then
    echo "FAIL: $3: omen exited $rc" >&2
    sed 's/^/  | /' "$T/err" >&2
    fail=1
    return
  fi
  validate "$2" "$3"
  if [ -n "${4:-}" ]; then
    n=$(node -e 'console.log(require(process.argv[1]).runs[0].results.length)' "$2")
    [ "$n" -ge "$4" ] || { echo "FAIL: $3: $n results, want at least $4" >&2; fail=1; }
  fi
}

if [ -d "$SRC/examples/demo" ]; then
  run_omen "$SRC/examples/demo" "$T/demo.json" "omen check examples/demo"
fi

# a fixture with findings whatever analyzers exist: the http call for the Go analyzers, a syntax
# error (reported by the engine) after non-ASCII text, a file name that needs percent-encoding
mkdir -p "$T/fx/sub dir"
printf 'package p\n\nimport "net/http"\n\nfunc f() { http.Get("x") }\n' >"$T/fx/p.go"
name=$(printf 'q\303\251.go')
printf 'package q\n\nvar s = "h\303\251llo \360\237\230\200" + )\n' >"$T/fx/sub dir/$name"
run_omen "$T/fx" "$T/fixture.json" "omen check on a fixture" 1

# has() FILE JS-EXPRESSION DESCRIPTION: the report holds what the validation is meant to cover
has() {
  if node -e 'const s=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));
    process.exit(('"$2"')(s.runs[0]) ? 0 : 1)' "$1"; then :; else
    echo "FAIL: $3" >&2
    fail=1
  fi
}

UNIT=$BUILD/tests/test_output
if [ -x "$UNIT" ]; then
  if (cd "$T" && OMEN_SARIF_OUT="$T/unit.json" OMEN_SARIF_OUT_TRUNCATED="$T/unit-truncated.json" "$UNIT" "$SRC" \
    >/dev/null 2>"$T/err"); then
    validate "$T/unit.json" "the hand-built result of tests/test_output"
    has "$T/unit.json" 'r => r.results.some(x => x.suppressions && x.suppressions[0].kind === "inSource")' \
      "no suppressed result in the hand-built SARIF"
    has "$T/unit.json" 'r => r.results.some(x => x.partialFingerprints && x.partialFingerprints["omen/v1"])' \
      "no partialFingerprints in the hand-built SARIF"
    has "$T/unit.json" 'r => r.invocations[0].startTimeUtc && r.invocations[0].endTimeUtc' \
      "no start and end times in the hand-built SARIF"
    validate "$T/unit-truncated.json" "a result cut to limits by tests/test_output"
    has "$T/unit-truncated.json" 'r => r.invocations[0].toolExecutionNotifications.length > 0' \
      "no notification in the truncated SARIF"
  else
    echo "FAIL: $UNIT failed" >&2
    sed 's/^/  | /' "$T/err" >&2
    fail=1
  fi
else
  echo "FAIL: $UNIT not built" >&2
  fail=1
fi

exit $fail
