#!/bin/sh
# ci.test.sh - the CI workflow end to end, on small projects (and git repositories) made here:
# suppression comments (used, unused, malformed), .omen.yml (errors with positions, severities,
# overrides, excludes, options, fail-on, config init/show), baselines surviving edits, --new-from-rev,
# every output format read back, several reports in one run, omen fix, omen explain.
# usage: sh ci.test.sh OMEN SOURCE_DIR BUILD_DIR
set -u
OMEN=$1
SRC=$2
case $OMEN in /*) ;; *) OMEN=$(pwd)/$OMEN ;; esac
. "$SRC/tests/lib.sh"
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
command -v git >/dev/null 2>&1 || { echo "FAIL: git is needed" >&2; exit 1; }
command -v node >/dev/null 2>&1 || { echo "FAIL: node is needed to read JSON back" >&2; exit 1; }

# leak.go: one finding (resource-leak/cancel-not-called, a warning) on line 9, in function leak
leak_go() {
  cat <<'GO'
package main

import (
	"context"
	"time"
)

func leak() {
	ctx, _ := context.WithTimeout(context.Background(), time.Second)
	_ = ctx
}

func main() { leak() }
GO
}
RULE=resource-leak/cancel-not-called

# ---------- suppressions ----------
mkdir -p "$T/sup" && cd "$T/sup" || exit 2
leak_go >leak.go
expect_rc 1 "unsuppressed finding" "$OMEN" check .
has "$T/out" "leak.go:9:" "finding on line 9"
sed -i 's|^\tctx, _ := |\t//omen:ignore resource-leak/cancel-not-called the process exits right after\n\tctx, _ := |' leak.go
expect_rc 0 "suppressed on the line above" "$OMEN" check .
hasnt "$T/out" "leak.go:10:" "suppressed finding not shown"
has "$T/out" "suppressed" "summary counts it"
"$OMEN" check --format json -o "$T/sup.json" --format sarif -o "$T/sup.sarif" . 2>/dev/null
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1]));
  const d = (r.diagnostics || []).filter(x => x.rule === process.argv[2]);
  if (d.length !== 1 || !d[0].suppressed) process.exit(1);
' "$T/sup.json" "$RULE" && ok || bad "JSON keeps the suppressed finding, marked"
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1]));
  const res = r.runs[0].results.filter(x => x.ruleId === process.argv[2]);
  const s = res.length === 1 && res[0].suppressions && res[0].suppressions[0];
  if (!s || s.kind !== "inSource" || !/exits right after/.test(s.justification || "")) process.exit(1);
' "$T/sup.sarif" "$RULE" && ok || bad "SARIF suppression of kind inSource with the reason"
# the same on the finding's own line, by family, and for the whole file
leak_go | sed 's|time.Second)$|time.Second) //omen:ignore resource-leak reviewed|' >leak.go
expect_rc 0 "family on the same line" "$OMEN" check .
leak_go | sed '1i //omen:file-ignore all generated-looking test fixture' >leak.go
expect_rc 0 "file-ignore all" "$OMEN" check .
# an ignore that matches nothing is reported; not when its rules are switched off
leak_go | sed 's|^func main() { leak() }|//omen:ignore thread-leak nothing leaks here\nfunc main() { leak() }|' >leak.go
expect_rc 1 "unused ignore" "$OMEN" check .
has "$T/out" "omen/unused-ignore" "unused ignore reported"
has "$T/out" "leak.go:13:" "at the comment"
expect_rc 1 "unused ignore, its analyzer off" "$OMEN" check --disable go-goroutine-leak .
hasnt "$T/out" "omen/unused-ignore" "not reported when its rules are off"
# malformed: no reason, unknown rule
leak_go | sed 's|^\tctx, _ := |\t//omen:ignore resource-leak\n\tctx, _ := |' >leak.go
expect_rc 1 "ignore without a reason" "$OMEN" check .
has "$T/out" "omen/invalid-ignore" "missing reason reported"
has "$T/out" "$RULE" "and the finding is not suppressed"
leak_go | sed 's|^\tctx, _ := |\t//omen:ignore resource-leak/no-such-rule because\n\tctx, _ := |' >leak.go
expect_rc 1 "ignore of an unknown rule" "$OMEN" check .
has "$T/out" "no-such-rule" "unknown rule named"

# ---------- configuration ----------
mkdir -p "$T/cfg/sub" "$T/cfg/gen" && cd "$T/cfg" || exit 2
leak_go >leak.go
leak_go | sed 's/^package main/package sub/; s/^func main() { leak() }//' >sub/x_test.go
leak_go | sed 's/^package main/package gen/; s/^func main() { leak() }//' >gen/g.go
printf 'version: 1\nrules:\n  resource-leak: off\n  bogus-key: 1\n' >.omen.yml
expect_rc 0 "family off" "$OMEN" check --no-config --fail-on error . # sanity: --no-config ignores the file
printf 'version: 1\nfail-on: warning\nnot-a-key: true\n' >.omen.yml
expect_rc 2 "unknown key" "$OMEN" check .
has "$T/err" ".omen.yml:3:1" "error names file, line and column"
printf 'rules:\n  resource-leak/cancel-not-called: loud\n' >.omen.yml
expect_rc 2 "bad severity" "$OMEN" check .
has "$T/err" ".omen.yml:2:" "bad value has its line"
printf 'rules:\n  no-such-family: off\n' >.omen.yml
expect_rc 2 "unknown family" "$OMEN" check .
has "$T/err" "no-such-family" "unknown family named"
cat >.omen.yml <<'YML'
version: 1
exclude: ["gen/"]
rules:
  resource-leak/cancel-not-called: error
overrides:
  - paths: ["**/*_test.go"]
    rules:
      resource-leak: off
YML
expect_rc 1 "severity raised" "$OMEN" check --format json -o "$T/cfg.json" .
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1]));
  const d = r.diagnostics.filter(x => !x.suppressed);
  const paths = d.map(x => x.location.path).sort().join(",");
  if (paths !== "leak.go" || d[0].severity !== "error") { console.error(paths, d[0] && d[0].severity); process.exit(1); }
' "$T/cfg.json" && ok || bad "error severity on leak.go; _test.go overridden off; gen/ excluded"
printf 'fail-on: error\nrules:\n  resource-leak/cancel-not-called: warning\n' >.omen.yml
expect_rc 0 "fail-on from the file" "$OMEN" check leak.go
expect_rc 1 "--fail-on beats the file" "$OMEN" check --fail-on warning leak.go
printf 'analyzers:\n  disable: [go-resource-leak]\n' >.omen.yml
expect_rc 0 "analyzer disabled in the file" "$OMEN" check leak.go
printf 'analyzers:\n  disable: [go-inspect]\n' >.omen.yml
expect_rc 2 "disabling a base analyzer others need" "$OMEN" check leak.go
has "$T/err" ".omen.yml" "names the configuration"
# --config FILE from elsewhere
printf 'rules:\n  resource-leak: off\n' >"$T/other.yml"
rm -f .omen.yml
expect_rc 0 "--config FILE" "$OMEN" check --config "$T/other.yml" leak.go
# a nested .omen.yml governs its subtree
printf 'rules:\n  resource-leak: note\n' >sub/.omen.yml
"$OMEN" check --format json -o "$T/nested.json" . 2>/dev/null
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1]));
  const sev = p => (r.diagnostics.find(x => x.location.path === p) || {}).severity;
  if (sev("sub/x_test.go") !== "note" || sev("leak.go") !== "warning") process.exit(1);
' "$T/nested.json" && ok || bad "nearest .omen.yml per directory"
# a file the walk meets after leaving a configured subdirectory is governed by its own directory's
mkdir -p "$T/nest/m"
leak_go | sed 's/^package main/package m/; s/^func main() { leak() }//' >"$T/nest/m/x.go"
printf 'rules:\n  resource-leak: note\n' >"$T/nest/m/.omen.yml"
leak_go >"$T/nest/z.go"
(cd "$T/nest" && "$OMEN" check --format json -o "$T/nest.json" . 2>/dev/null)
node -e '
  const r = JSON.parse(require("fs").readFileSync(process.argv[1]));
  const sev = p => (r.diagnostics.find(x => x.location.path === p) || {}).severity;
  if (sev("m/x.go") !== "note" || sev("z.go") !== "warning") process.exit(1);
' "$T/nest.json" && ok || bad "after a configured subdirectory, its parent's configuration again"
rm -f sub/.omen.yml
# options: the value a fix writes
mkdir -p "$T/opt" && cd "$T/opt" || exit 2
cat >client.go <<'GO'
package main

import (
	"fmt"
	"net/http"
)

func main() {
	c := &http.Client{}
	resp, err := c.Get("http://example.com")
	if err != nil {
		return
	}
	defer resp.Body.Close()
	fmt.Println(resp.Status)
}
GO
expect_rc 1 "default option" "$OMEN" check --diff --unsafe-fixes .
has "$T/out" "30 \\* time.Second" "default timeout in the fix"
printf 'rules:\n  missing-timeout/http-no-timeout:\n    options:\n      timeout: 1m30s\n' >.omen.yml
expect_rc 1 "configured option" "$OMEN" check --diff --unsafe-fixes .
has "$T/out" "90 \\* time.Second" "configured timeout in the fix"
printf 'rules:\n  missing-timeout/http-no-timeout:\n    options:\n      timeout: soon\n' >.omen.yml
expect_rc 2 "bad option value" "$OMEN" check .
has "$T/err" ".omen.yml:4:" "bad option value has its line"
# config init / show
mkdir -p "$T/init" && cd "$T/init" || exit 2
leak_go >leak.go
expect_rc 0 "config init" "$OMEN" config init
[ -s .omen.yml ] && ok || bad "config init wrote .omen.yml"
expect_rc 2 "config init does not overwrite" "$OMEN" config init
expect_rc 1 "the starter file is valid" "$OMEN" check .
expect_rc 0 "config show" "$OMEN" config show .
has "$T/out" "$RULE" "config show lists rules"

# ---------- baselines ----------
mkdir -p "$T/base" && cd "$T/base" || exit 2
leak_go >leak.go
expect_rc 0 "baseline write" "$OMEN" baseline write base.json .
[ -s base.json ] && ok || bad "baseline file written"
expect_rc 0 "nothing new against the baseline" "$OMEN" check --baseline base.json .
has "$T/out" "baseline" "summary mentions the baseline"
"$OMEN" check --format sarif -o base.sarif . 2>/dev/null
expect_rc 0 "a SARIF report as baseline" "$OMEN" check --baseline base.sarif .
sed -i '1i // Package main is a demo.\n// It leaks a context.' leak.go # lines inserted above the finding
expect_rc 0 "baseline survives lines inserted above" "$OMEN" check --baseline base.json .
cat >>leak.go <<'GO'

func leak2() {
	ctx, _ := context.WithTimeout(context.Background(), 2*time.Second)
	_ = ctx
}
GO
expect_rc 1 "a new finding is reported" "$OMEN" check --baseline base.json .
count "$T/out" "$RULE" 1 "only the new finding"
has "$T/out" "leak.go:18:" "the new one, in leak2"
expect_rc 2 "baseline that is not a report" "$OMEN" check --baseline leak.go .
has "$T/err" "leak.go" "bad baseline named"

# ---------- --new-from-rev ----------
mkdir -p "$T/rev" && cd "$T/rev" || exit 2
git init -q . && leak_go >leak.go &&
  git add leak.go && git -c user.name=t -c user.email=t@t commit -qm init || { bad "git setup"; exit 1; }
expect_rc 0 "nothing changed since HEAD" "$OMEN" check --new-from-rev HEAD .
cat >>leak.go <<'GO'

func leak2() {
	ctx, _ := context.WithTimeout(context.Background(), 2*time.Second)
	_ = ctx
}
GO
expect_rc 1 "new lines since HEAD" "$OMEN" check --new-from-rev HEAD .
count "$T/out" "$RULE" 1 "only the finding on changed lines"
has "$T/out" "leak.go:16:" "in the added function"
expect_rc 2 "unknown revision" "$OMEN" check --new-from-rev no-such-rev .

# ---------- output formats, several in one run ----------
mkdir -p "$T/fmt" && cd "$T/fmt" || exit 2
leak_go >leak.go
expect_rc 1 "three reports at once" "$OMEN" check --format sarif -o r.sarif --format github -o r.gh --format text .
has "$T/out" "leak.go:9:" "text on stdout"
node -e 'JSON.parse(require("fs").readFileSync("r.sarif"))' && ok || bad "SARIF written"
has r.gh "::warning file=leak.go,line=9," "GitHub workflow command"
has r.gh "title=$RULE::" "GitHub title is the rule"
expect_rc 2 "two reports to stdout" "$OMEN" check --format json --format text .
"$OMEN" check --format gitlab . >r.gl 2>/dev/null
node -e '
  const a = JSON.parse(require("fs").readFileSync("r.gl"));
  const i = a[0];
  if (a.length !== 1 || i.check_name !== process.argv[1] || i.location.path !== "leak.go" ||
      i.location.lines.begin !== 9 || !i.fingerprint || !i.severity || !i.description) process.exit(1);
' "$RULE" && ok || bad "GitLab Code Quality issue"
"$OMEN" check --format checkstyle . >r.xml 2>/dev/null
has r.xml "<checkstyle" "Checkstyle root"
has r.xml '<file name="leak.go">' "Checkstyle file"
has r.xml "source=\"omen.$RULE\"" "Checkstyle source is the rule"

# ---------- the progress line: on a terminal only, never with -q ----------
cd "$T/fmt" || exit 2
"$OMEN" check . >/dev/null 2>"$T/err"
hasnt "$T/err" "omen: \[" "no progress line when stderr is not a terminal"
if command -v script >/dev/null 2>&1; then
  OMEN_PROGRESS_DELAY=0 script -qec "$OMEN check ." /dev/null >"$T/tty" 2>&1
  has "$T/tty" "omen: \[1/1\] \." "progress line on a terminal"
  OMEN_PROGRESS_DELAY=0 script -qec "$OMEN check -q ." /dev/null >"$T/tty" 2>&1
  hasnt "$T/tty" "omen: \[" "no progress line with -q"
else
  echo "NOTE: script(1) is missing: the progress line on a terminal is not checked"
fi

# ---------- omen fix, explain ----------
mkdir -p "$T/fix" && cd "$T/fix" || exit 2
cat >main.go <<'GO'
package main

import (
	"database/sql"
)

func names(db *sql.DB) ([]string, error) {
	rows, err := db.Query("SELECT name FROM t")
	if err != nil {
		return nil, err
	}
	var out []string
	for rows.Next() {
		var s string
		if err := rows.Scan(&s); err != nil {
			return nil, err
		}
		out = append(out, s)
	}
	return out, rows.Err()
}

func main() {}
GO
cp main.go before.go.txt
expect_rc 1 "omen fix --diff previews (the finding stays)" "$OMEN" fix --diff .
has "$T/out" "defer rows.Close()" "diff shows the fix"
cmp -s main.go before.go.txt && ok || bad "--diff leaves the file alone"
expect_rc 0 "omen fix" "$OMEN" fix .
has main.go "defer rows.Close()" "fix applied"
has "$T/err" "fixed 1 finding" "fix reports what it changed"
expect_rc 0 "clean after the fix" "$OMEN" check .
printf 'package main\n\nfunc broken( {\n' >bad.go
cp bad.go bad.txt
"$OMEN" fix . >/dev/null 2>&1
cmp -s bad.go bad.txt && ok || bad "fix leaves a file with syntax errors alone"
expect_rc 0 "explain" "$OMEN" explain "$RULE"
has "$T/out" "## $RULE" "explain prints the section"
has "$T/out" "How to suppress" "with how to suppress"
expect_rc 2 "explain an unknown rule" "$OMEN" explain cancel
has "$T/err" "$RULE" "suggests close ids"

finish
