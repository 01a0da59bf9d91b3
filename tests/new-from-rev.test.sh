#!/bin/sh
# new-from-rev.test.sh - baselines and --new-from-rev end to end, as docs/baselines.md shows them:
# a baseline surviving edits and a rename, a baseline read from a pipe, --new-from-rev from a
# subdirectory with untracked files and names with spaces, both flags together, and a pull request
# checked out the way CI does it (a shallow merge commit, the base fetched with depth 1).
# usage: sh new-from-rev.test.sh OMEN SOURCE_DIR BUILD_DIR
set -u
OMEN=$1
SRC=$2
. "$SRC/tests/lib.sh"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# git must not read the user's configuration, and needs an identity to commit
GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1 GIT_CEILING_DIRECTORIES=$T
GIT_AUTHOR_NAME=test GIT_AUTHOR_EMAIL=test@example.com GIT_COMMITTER_NAME=test GIT_COMMITTER_EMAIL=test@example.com
export GIT_CONFIG_GLOBAL GIT_CONFIG_NOSYSTEM GIT_CEILING_DIRECTORIES GIT_AUTHOR_NAME GIT_AUTHOR_EMAIL \
  GIT_COMMITTER_NAME GIT_COMMITTER_EMAIL
unset GIT_DIR GIT_WORK_TREE GIT_INDEX_FILE
RULE=missing-timeout/http-no-timeout
run() { "$OMEN" check --enable go-http-timeout "$@"; }

# fetch.go: Fetch's http.Get is at line 6
fetch_go() {
  printf 'package app\n\nimport "net/http"\n\nfunc Fetch(u string) {\n\thttp.Get(u)\n}\n'
}

# ---------- baselines ----------
mkdir -p "$T/b/app" && cd "$T/b" || exit 2
fetch_go >app/fetch.go
expect_rc 1 "a finding to start with" run ./...
expect_rc 0 "baseline write" "$OMEN" baseline write .omen-baseline.json --enable go-http-timeout ./...
node -e '
  const d = JSON.parse(require("fs").readFileSync(".omen-baseline.json")).diagnostics;
  if (d.length !== 1 || !/^[0-9a-f]{16}$/.test(d[0].fingerprint) || !/^[0-9a-f]{16}$/.test(d[0].line_fingerprint) ||
      d[0].scope !== "Fetch") process.exit(1);
' && ok || bad "the baseline holds the finding with its fingerprints and scope"
expect_rc 0 "nothing new" run --baseline .omen-baseline.json ./...
# lines inserted above, the function re-indented, the file renamed
mv app/fetch.go app/get.go
printf 'package app\n\nimport "net/http"\n\n// Fetch gets u.\n// It has no timeout.\nfunc Fetch(u string) {\n        http.Get(u)   \n}\n' >app/get.go
expect_rc 0 "baseline survives inserted lines, re-indenting and a rename" run --baseline .omen-baseline.json ./...
has "$T/out" "1 in the baseline not shown" "summary counts the baselined finding"
# a baseline from a pipe
expect_rc 0 "baseline from standard input" sh -c '"$1" check --enable go-http-timeout --baseline /dev/stdin ./... <.omen-baseline.json' sh "$OMEN"
# the same call in another function is new; so is a second copy in the same function
printf '\nfunc Other(u string) {\n\thttp.Get(u)\n}\n' >>app/get.go
expect_rc 1 "a new finding in another function" run --baseline .omen-baseline.json ./...
count "$T/out" "$RULE" 1 "only the new finding"
has "$T/out" "app/get.go:12:" "the new finding is Other's"
# the flagged line itself edited: new
printf 'package app\n\nimport "net/http"\n\nfunc Fetch(url string) {\n\thttp.Get(url)\n}\n' >app/get.go
expect_rc 1 "an edited flagged line is new" run --baseline .omen-baseline.json ./...
has "$T/out" "app/get.go:6:" "the edited finding"
# the baseline accepts a SARIF report too
fetch_go >app/get.go
run --format sarif -o base.sarif ./... >/dev/null 2>&1
printf '\n\n' >>app/get.go
expect_rc 0 "a SARIF baseline" run --baseline base.sarif ./...
expect_rc 2 "a baseline that is not a report" run --baseline app/get.go ./...
has "$T/err" "app/get.go" "the bad baseline is named"

# ---------- --new-from-rev ----------
mkdir -p "$T/r/app" && cd "$T/r" || exit 2
git init -q . && git config commit.gpgsign false
fetch_go >app/fetch.go
fetch_go >"app/old file.go"
sed -i 's/Fetch/Old/' "app/old file.go"
git add -A && git commit -qm base || { bad "git setup"; exit 1; }
expect_rc 0 "nothing changed since HEAD" run --new-from-rev HEAD ./...
has "$T/out" "2 on unchanged lines not shown" "summary counts what was left out"
# a changed line, an untracked file with a space in its name
sed -i 's/http.Get(u)/http.Get(u + "?x")/' "app/old file.go"
fetch_go | sed 's/Fetch/Fresh/' >"app/new file.go"
expect_rc 1 "changed and untracked lines" run --new-from-rev HEAD ./...
count "$T/out" "$RULE" 2 "two findings on new lines"
has "$T/out" "app/old file.go:6:" "the changed line"
has "$T/out" "app/new file.go:6:" "the untracked file"
hasnt "$T/out" "app/fetch.go" "the unchanged file"
# from a subdirectory: paths relative to it
cd app || exit 2
expect_rc 1 "from a subdirectory" run --new-from-rev HEAD .
has "$T/out" "^old file.go:6:" "paths relative to the subdirectory"
cd .. || exit 2
# with a baseline: a changed line whose finding the baseline holds is not new
git add -A && git commit -qm second
"$OMEN" baseline write "$T/base.json" --enable go-http-timeout ./... 2>/dev/null
sed -i 's/^\thttp.Get(u)$/    http.Get(u)/' app/fetch.go
printf '\nfunc More(u string) {\n\thttp.Get(u + "/more")\n}\n' >>app/fetch.go
expect_rc 1 "--new-from-rev alone: the re-indented line and the new one" run --new-from-rev HEAD ./...
count "$T/out" "$RULE" 2 "re-indented and new"
expect_rc 1 "with --baseline: only the new one" run --new-from-rev HEAD --baseline "$T/base.json" ./...
count "$T/out" "$RULE" 1 "only the new one"
has "$T/out" "app/fetch.go:10:" "More's finding"
expect_rc 2 "unknown revision" run --new-from-rev no-such-rev ./...
has "$T/err" "no-such-rev" "git's message names the revision"
expect_rc 2 "a range" run --new-from-rev HEAD~1..HEAD ./...
cd "$T" || exit 2
expect_rc 2 "not a repository" run --new-from-rev HEAD "$T/b"
has "$T/err" "not a git repository" "git's message"

# ---------- a pull request, checked out as CI does ----------
git init -q --bare "$T/origin.git"
mkdir -p "$T/dev/app" && cd "$T/dev" || exit 2
git init -q -b main . && git config commit.gpgsign false
fetch_go >app/fetch.go
git add -A && git commit -qm legacy && git push -q "$T/origin.git" main
git checkout -q -b feature
printf '\nfunc Added(u string) {\n\thttp.Get(u)\n}\n' >>app/fetch.go
git commit -qam feature && git push -q "$T/origin.git" feature
# main moves on after the branch point (a new file, and Fetch's line edited): its changes must not
# count as the pull request's
git checkout -q main
printf '\nfunc OnMain(u string) {\n\thttp.Get(u)\n}\n' >app/main.go
sed -i 's|http.Get(u)|http.Get(u + "/v2")|' app/fetch.go
git add -A && git commit -qm "main moves" && git push -q "$T/origin.git" main
# on the branch itself: main's edit shows up as a change against main, not against the merge base
git checkout -q feature
expect_rc 1 "the branch against main" run --new-from-rev main ./...
count "$T/out" "$RULE" 2 "main's edit of Fetch looks like the branch's"
expect_rc 1 "the branch against the merge base" run --new-from-rev "$(git merge-base main HEAD)" ./...
count "$T/out" "$RULE" 1 "against the merge base, only the branch's finding"
has "$T/out" "app/fetch.go:10:" "the added function's"
# the merge commit the forge tests (refs/pull/1/merge)
git checkout -q --detach main && git merge -q --no-edit feature >/dev/null && git push -q "$T/origin.git" HEAD:refs/pull/1/merge
# actions/checkout: a shallow fetch of the merge commit
mkdir "$T/ci" && cd "$T/ci" || exit 2
git init -q . && git remote add origin "file://$T/origin.git"
git fetch -q --no-tags --depth=1 origin +refs/pull/1/merge:refs/remotes/pull/1/merge &&
  git checkout -q --detach refs/remotes/pull/1/merge || { bad "checkout of the merge commit"; exit 1; }
expect_rc 2 "the base is not fetched yet" run --new-from-rev origin/main ./...
# the step before omen: fetch the base branch
git fetch -q --no-tags --depth=1 origin +refs/heads/main:refs/remotes/origin/main
expect_rc 1 "only the pull request's finding" run --new-from-rev origin/main ./...
count "$T/out" "$RULE" 1 "one finding"
has "$T/out" "app/fetch.go:10:" "the added function's"
# or: two commits deep, the merge commit's first parent is the base it was made on
git fetch -q --no-tags --depth=2 origin +refs/pull/1/merge:refs/remotes/pull/1/merge
expect_rc 1 "against the merge commit's first parent" run --new-from-rev HEAD^1 ./...
count "$T/out" "$RULE" 1 "one finding"
has "$T/out" "app/fetch.go:10:" "the added function's"

finish
