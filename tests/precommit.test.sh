#!/bin/sh
# precommit.test.sh - omen's .pre-commit-hooks.yaml with Debian's pre-commit, in throwaway git
# repositories: the omen hook blocks a commit that adds a finding and lets it through once fixed;
# the omen-fix hook applies a safe fix and stops the commit so the fix can be reviewed. Offline;
# HOME, the pre-commit cache and every repository live in one temporary directory.
# usage: sh precommit.test.sh OMEN SOURCE_DIR BUILD_DIR
set -u
OMEN=$1
SRC=$2
if ! command -v pre-commit >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then
    echo "FAIL: pre-commit is not installed (tools/deps.sh installs Debian's pre-commit)" >&2
    exit 1
  fi
  echo "SKIP: pre-commit is not installed: the hook is not tested (apt-get install pre-commit, or sh tools/deps.sh)"
  exit 0
fi
case $OMEN in /*) ;; *) OMEN=$(pwd)/$OMEN ;; esac
SRC=$(cd "$SRC" && pwd)

. "$SRC/tests/lib.sh"
commits() { git rev-list --count HEAD 2>/dev/null || echo 0; }

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# keep pre-commit's cache and git's configuration inside $T, whatever the caller's environment
export HOME="$T/home" PRE_COMMIT_HOME="$T/cache" XDG_CACHE_HOME="$T/xdg" GIT_CONFIG_NOSYSTEM=1
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE GIT_CONFIG_GLOBAL PRE_COMMIT SKIP 2>/dev/null || true
mkdir -p "$HOME" "$T/bin" "$T/leaky" "$T/clean" "$T/unclosed"
git config --global user.name "omen test"
git config --global user.email "omen-test@example.invalid"
git config --global init.defaultBranch main
git config --global commit.gpgSign false
ln -s "$OMEN" "$T/bin/omen"
PATH="$T/bin:$PATH"
export PATH

# the hooks repository: our .pre-commit-hooks.yaml alone, one commit, so the test does not depend on
# the state of the source tree's git repository
mkdir "$T/hooks"
cp "$SRC/.pre-commit-hooks.yaml" "$T/hooks/"
(cd "$T/hooks" && git init -q && git add .pre-commit-hooks.yaml && git commit -q -m hooks) || exit 2
REV=$(git -C "$T/hooks" rev-parse HEAD)
if pre-commit validate-manifest "$T/hooks/.pre-commit-hooks.yaml" >"$T/out" 2>&1; then ok; else
  bad "pre-commit rejects .pre-commit-hooks.yaml"
  sed 's/^/  | /' "$T/out" >&2
fi
# the .pre-commit-config.yaml examples of docs/ci.md (its yaml blocks that start with "repos:")
mkdir "$T/snippets"
awk -v d="$T/snippets" '/^```yaml$/ { n++; f = 1; next } /^```$/ { f = 0 } f { print > (d "/" n ".yaml") }' \
  "$SRC/docs/ci.md"
nsnip=0
for f in "$T"/snippets/*.yaml; do
  [ -f "$f" ] && [ "$(head -n 1 "$f")" = "repos:" ] || continue
  nsnip=$((nsnip + 1))
  if pre-commit validate-config "$f" >"$T/out" 2>&1; then ok; else
    bad "pre-commit rejects a configuration example of docs/ci.md"
    sed 's/^/  | /' "$f" "$T/out" >&2
  fi
done
[ "$nsnip" -ge 1 ] && ok || bad "docs/ci.md has no .pre-commit-config.yaml example"

# a project using hook $1; leaves the current directory in it
project() {
  mkdir "$T/$1" && cd "$T/$1" || exit 2
  git init -q
  printf 'repos:\n  - repo: %s\n    rev: %s\n    hooks:\n      - id: %s\n' "$T/hooks" "$REV" "$1" >.pre-commit-config.yaml
  printf 'module example.com/app\n\ngo 1.19\n' >go.mod
  git add .pre-commit-config.yaml go.mod
  git commit -q -m init || exit 2
  pre-commit install >"$T/out" 2>&1 || { cat "$T/out" >&2; exit 2; }
}

# an http.Client with no timeout (a finding without a safe fix) ...
cat >"$T/leaky/main.go" <<'EOF'
package main

import (
	"fmt"
	"net/http"
)

func main() {
	client := &http.Client{}
	resp, err := client.Get("https://example.com/")
	if err != nil {
		fmt.Println(err)
		return
	}
	defer resp.Body.Close()
	fmt.Println(resp.Status)
}
EOF
# ... the same with a timeout (clean) ...
sed -e 's|^	"net/http"$|	"net/http"\n	"time"|' -e 's|http.Client{}|http.Client{Timeout: 10 * time.Second}|' \
  "$T/leaky/main.go" >"$T/clean/main.go"
# ... and with a response body never closed (a finding with a safe fix)
sed '/defer resp.Body.Close()/d' "$T/clean/main.go" >"$T/unclosed/main.go"
"$OMEN" check "$T/leaky/main.go" >"$T/out" 2>&1
has "$T/out" "main.go:9:.*missing-timeout/http-no-timeout" "omen reports the client the hook must catch"
"$OMEN" check "$T/unclosed/main.go" >"$T/out" 2>&1
has "$T/out" "resource-leak/response-body-not-closed" "omen reports the body the fix hook must close"
"$OMEN" check "$T/clean/main.go" >"$T/out" 2>&1 && ok || bad "omen reports on the fixed program"

# hook omen: a commit adding a finding is blocked and shows it; the fixed file commits
project omen
cp "$T/leaky/main.go" main.go
git add main.go
before=$(commits)
if git commit -m "add client" >"$T/out" 2>&1; then bad "omen hook let a commit with a finding through"; else ok; fi
has "$T/out" "main.go:9:.*missing-timeout/http-no-timeout" "the blocked commit shows the finding"
[ "$(commits)" -eq "$before" ] && ok || bad "a commit was made despite the finding"
cp "$T/clean/main.go" main.go
git add main.go
if git commit -m "add client" >"$T/out" 2>&1; then ok; else bad "omen hook blocked a clean commit"; sed 's/^/  | /' "$T/out" >&2; fi
has "$T/out" "^omen\.*Passed" "the hook ran on the clean commit and passed"
[ "$(commits)" -eq $((before + 1)) ] && ok || bad "the clean commit was not made"
# a finding already committed in another file of the package does not block a commit of main.go
printf 'package main\n\nimport "net/http"\n\nfunc legacy() *http.Client { return &http.Client{} }\n' >legacy.go
"$OMEN" check legacy.go >"$T/out" 2>&1
has "$T/out" "legacy.go:5:.*missing-timeout/http-no-timeout" "omen reports legacy.go"
git add legacy.go
git commit -q --no-verify -m legacy || exit 2
printf '\n// main prints the status of example.com.\n' >>main.go
git add main.go
if git commit -m "comment" >"$T/out" 2>&1; then ok; else
  bad "a finding in a file not committed now blocked the commit"
  sed 's/^/  | /' "$T/out" >&2
fi
# a commit touching no Go or C/C++ file does not run omen
echo notes >NOTES.txt
git add NOTES.txt
git commit -m notes >"$T/out" 2>&1 && ok || bad "a commit without source files failed"
has "$T/out" "^omen\.*(no files to check)Skipped" "hook skipped for non-source files"

# hook omen-fix: the safe fix is applied and the commit stops for review; once staged it commits
project omen-fix
cp "$T/unclosed/main.go" main.go
git add main.go
before=$(commits)
if git commit -m "add client" >"$T/out" 2>&1; then bad "omen-fix hook let a commit with a fixable finding through"; else ok; fi
[ "$(commits)" -eq "$before" ] && ok || bad "a commit was made while omen-fix changed files"
has main.go "^	defer resp.Body.Close()$" "omen-fix applied the safe fix"
git add main.go
if git commit -m "add client" >"$T/out" 2>&1; then ok; else bad "omen-fix blocked the fixed commit"; sed 's/^/  | /' "$T/out" >&2; fi
has "$T/out" "^omen (apply safe fixes)\.*Passed" "omen-fix ran on the fixed commit and passed"
[ "$(commits)" -eq $((before + 1)) ] && ok || bad "the fixed commit was not made"

finish
