#!/bin/sh
# eglot.sh - `omen lsp` in Emacs with eglot, configured by the elisp block under "## Emacs (eglot)"
# of docs/editors.md, headless (emacs --batch -Q, HOME in a temporary directory): a Go finding
# shown by flymake, at the right column after non-ASCII text is typed before it; a C file managed
# by the same server, with its finding; omen's quick fix of a *sql.Rows leak applied through
# eglot-code-actions (tests/lsp/eglot.el does the checks).
# usage: sh eglot.sh OMEN SOURCE_DIR WORKDIR [DOCS]   (DOCS: default SOURCE_DIR/docs/editors.md)
# exit: 0 pass, 1 fail, 77 emacs, eglot or go-mode missing outside CI (skip)
set -u
OMEN=$1
SRC=$2
WORKDIR=$3
DOCS=${4:-$SRC/docs/editors.md}

case $OMEN in /*) ;; *) OMEN=$(pwd)/$OMEN ;; esac
case $SRC in /*) ;; *) SRC=$(pwd)/$SRC ;; esac
skip() {
  if [ "${CI:-}" = "true" ]; then
    echo "FAIL: $1 (required in CI)" >&2
    exit 1
  fi
  echo "SKIP: $1" >&2
  exit 77
}
command -v emacs >/dev/null 2>&1 || skip "emacs is not installed"
mkdir -p "$WORKDIR" || exit 1
T=$(mktemp -d "$WORKDIR/eglot.XXXXXX") || exit 1
trap 'rm -rf "$T"' EXIT
trap 'exit 1' HUP INT TERM

awk '/^## / { sec = ($0 == "## Emacs (eglot)") } sec && /^```elisp$/ && !done { on = 1; next }
  on && /^```$/ { on = 0; done = 1 } on' "$DOCS" >"$T/snippet.el"
[ -s "$T/snippet.el" ] || { echo "FAIL: no elisp block under \"## Emacs (eglot)\" in $DOCS" >&2; exit 1; }

# a Go file with a finding; a C file with a thread never joined, in the same directory (one project);
# a Go package with two *sql.Rows leaks with safe fixes, and the text its first fix must give
W="$T/work dir"
mkdir -p "$W/db" "$T/home" || exit 1
printf 'package main\n\nimport "net/http"\n\nfunc main() {\n\tc := &http.Client{}\n\t_ = c\n}\n' >"$W/main.go"
printf '#include <pthread.h>\n\nstatic void *work(void *arg) { return arg; }\n\nint main(void) {\n  pthread_t t;\n  pthread_create(&t, NULL, work, NULL);\n  return 0;\n}\n' >"$W/t.c"
printf 'package db\n\nimport (\n\t"database/sql"\n\t"net/http"\n)\n\nvar client = &http.Client{}\n\nfunc first(db *sql.DB) (int, error) {\n\trows, err := db.Query("SELECT id FROM t")\n\t/*é😀*/ if err != nil { return 0, err }\n\tvar id int\n\tif rows.Next() {\n\t\terr = rows.Scan(&id)\n\t}\n\t/*é😀*/ return id, err\n}\n\nfunc second(db *sql.DB) (int, error) {\n\trows, err := db.Query("SELECT n FROM t")\n\tif err != nil {\n\t\treturn 0, err\n\t}\n\tvar n int\n\tif rows.Next() {\n\t\terr = rows.Scan(&n)\n\t}\n\treturn n, err\n}\n' >"$W/db/rows.go"
awk '/\{ return 0, err \}$/ { print; print "\tdefer rows.Close()"; next } 1' "$W/db/rows.go" >"$W/db/rows.go.want"

start=$(date +%s)
(cd "$W" && HOME="$T/home" XDG_CONFIG_HOME="$T/home/.config" XDG_CACHE_HOME="$T/home/.cache" \
  PATH=$(dirname "$OMEN"):$PATH OMEN_SNIPPET="$T/snippet.el" OMEN_WORK="$W" LC_ALL=C.UTF-8 \
  timeout 120 emacs --batch -Q -l "$SRC/tests/lsp/eglot.el") >"$T/emacs.log" 2>&1
rc=$?
grep -E '^(ok|FAIL|SKIP)' "$T/emacs.log"
case $rc in
0) echo "ok: the Emacs eglot snippet of docs/editors.md works ($(($(date +%s) - start)) s)" ;;
77) skip "$(sed -n 's/^SKIP: //p' "$T/emacs.log" | head -n 1)" ;;
*)
  echo "FAIL: Emacs eglot (exit $rc$([ $rc -eq 124 ] && echo ', timed out')); its output:" >&2
  sed 's/^/  | /' "$T/emacs.log" >&2
  exit 1
  ;;
esac
