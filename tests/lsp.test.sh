#!/bin/sh
# lsp.test.sh - `omen lsp` against a Node client built on vscode-jsonrpc and
# vscode-languageserver-protocol (tests/lsp/client.js: lifecycle, push and pull diagnostics on a Go
# file, incremental and full edits, UTF-16 positions, didClose, errors;
# code actions (quick fixes, ignore comments, source.fixAll.omen, applied and re-analyzed); scheduling
# (tests/lsp/sched.js: debounce, cancellation, settings, configuration files); a seeded stress run
# (tests/lsp/stress.js); and raw bytes
# (tests/lsp/raw.js: malformed framing and JSON, huge messages, invalid UTF-8, end of input), and
# Neovim and Emacs eglot with the snippets of docs/editors.md (a Go and a C file; required in CI). The npm packages are installed,
# pinned, into BUILD_DIR/_npm_lsp.
# usage: sh lsp.test.sh OMEN SOURCE_DIR BUILD_DIR
# exit: 0 pass, 1 fail, 2 setup failed, 77 npm missing outside CI (skip)
set -u
OMEN=$1
SRC=$2
BUILD=$3
NPM_DIR=$BUILD/_npm_lsp
PKGS="vscode-jsonrpc@8.2.0 vscode-languageserver-protocol@3.17.5 smol-toml@1.3.1"

case $OMEN in /*) ;; *) OMEN=$(pwd)/$OMEN ;; esac
if ! command -v npm >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  if [ "${CI:-}" = "true" ]; then
    echo "FAIL: node and npm are required in CI" >&2
    exit 1
  fi
  echo "SKIP: node or npm is not installed" >&2
  exit 77
fi
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
mkdir -p "$NPM_DIR" || exit 2
if [ ! -f "$NPM_DIR/node_modules/vscode-jsonrpc/package.json" ] ||
  [ ! -f "$NPM_DIR/node_modules/vscode-languageserver-protocol/package.json" ] ||
  [ ! -f "$NPM_DIR/node_modules/smol-toml/package.json" ]; then
  echo "installing $PKGS into $NPM_DIR"
  # shellcheck disable=SC2086
  npm install --prefix "$NPM_DIR" --no-audit --no-fund --silent $PKGS >&2 ||
    { echo "FAIL: npm install of $PKGS failed" >&2; exit 2; }
fi

# a Go package with a missing-timeout finding in each file, in a directory whose name needs percent-encoding
W="$T/work dir"
mkdir -p "$W" || exit 2
printf 'package main\n\nimport "net/http"\n\nfunc main() {\n\tc := &http.Client{}\n\t_ = c\n}\n' >"$W/main.go"
# another file of the package, with a finding of its own
printf 'package main\n\nimport "net/http"\n\nvar shared = &http.Client{}\n' >"$W/other.go"
# a Go package for code actions: two *sql.Rows leaks with safe fixes (é and an emoji on the line
# where the first fix inserts, and before the finding's line content) and a client without a
# Timeout (an unsafe fix)
mkdir -p "$W/db" || exit 2
printf 'package db\n\nimport (\n\t"database/sql"\n\t"net/http"\n)\n\nvar client = &http.Client{}\n\nfunc first(db *sql.DB) (int, error) {\n\trows, err := db.Query("SELECT id FROM t")\n\t/*é😀*/ if err != nil { return 0, err }\n\tvar id int\n\tif rows.Next() {\n\t\terr = rows.Scan(&id)\n\t}\n\t/*é😀*/ return id, err\n}\n\nfunc second(db *sql.DB) (int, error) {\n\trows, err := db.Query("SELECT n FROM t")\n\tif err != nil {\n\t\treturn 0, err\n\t}\n\tvar n int\n\tif rows.Next() {\n\t\terr = rows.Scan(&n)\n\t}\n\treturn n, err\n}\n' >"$W/db/rows.go"
# a C file with a thread never joined (the finding has a related location)
printf '#include <pthread.h>\n\nstatic void *work(void *arg) { return arg; }\n\nint main(void) {\n  pthread_t t;\n  pthread_create(&t, NULL, work, NULL);\n  return 0;\n}\n' >"$W/t.c"

fail=0
for js in client.js sched.js stress.js raw.js; do
  echo "--- $js"
  NODE_PATH=$NPM_DIR/node_modules ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1} \
    node "$SRC/tests/lsp/$js" "$OMEN" "$W" || fail=1
done
echo "--- snippets.js"
NODE_PATH=$NPM_DIR/node_modules node "$SRC/tests/lsp/snippets.js" "$SRC/docs/editors.md" || fail=1
# Neovim, when installed: the init.lua snippet of docs/editors.md, run headless on main.go; the finding
# must appear, then move by the byte length of non-ASCII text inserted before it (Neovim turns the
# server's UTF-16 columns into byte columns)
echo "--- neovim"
if command -v nvim >/dev/null 2>&1; then
  awk '/^```lua$/ { on = 1; next } /^```$/ { on = 0 } on' "$SRC/docs/editors.md" >"$T/init.lua"
  [ -s "$T/init.lua" ] || { echo "FAIL: no lua snippet in docs/editors.md" >&2; exit 1; }
  cat >"$T/check.lua" <<'EOF'
local function first() return vim.diagnostic.get(0)[1] end
vim.wait(20000, function() return first() ~= nil end, 50)
local d = first()
local out = { d and string.format('%d:%d', d.lnum + 1, d.col + 1) or 'none' }
vim.api.nvim_buf_set_text(0, 5, 1, 5, 1, { '/*é😀*/ ' })
vim.wait(20000, function() local e = first(); return e ~= nil and d ~= nil and e.col ~= d.col end, 50)
local e = first()
table.insert(out, e and string.format('%d:%d', e.lnum + 1, e.col + 1) or 'none')
vim.fn.writefile(out, vim.env.OUT)
vim.cmd('qa!')
EOF
  mkdir -p "$T/nv" && cp "$W/main.go" "$T/nv/main.go" || exit 2
  (cd "$T/nv" && PATH=$(dirname "$OMEN"):$PATH OUT="$T/nvim.out" XDG_CACHE_HOME="$T/xdg" XDG_STATE_HOME="$T/xdg" \
    XDG_DATA_HOME="$T/xdg" XDG_CONFIG_HOME="$T/xdg" timeout 60 nvim --headless -u "$T/init.lua" \
    -c "luafile $T/check.lua" main.go >"$T/nvim.log" 2>&1)
  # 6:7 is the literal in main.go; "/*é😀*/ " is 11 bytes
  got=$(tr '\n' ' ' <"$T/nvim.out" 2>/dev/null)
  if [ "$got" = "6:7 6:18 " ]; then
    echo "ok: the Neovim snippet of docs/editors.md shows the finding and follows an edit"
  else
    echo "FAIL: Neovim: want '6:7 6:18 ', got '$got'" >&2
    sed 's/^/  | /' "$T/nvim.log" >&2
    fail=1
  fi
  # a code action through vim.lsp.buf.code_action(): the fix of the finding of rule $RULE whose title
  # matches $TITLE, chosen in vim.ui.select, applied to the buffer
  cat >"$T/action.lua" <<'EOF'
local function find()
  for _, d in ipairs(vim.diagnostic.get(0)) do
    if d.code == vim.env.RULE then return d end
  end
end
vim.wait(20000, function() return find() ~= nil end, 50)
local d = find()
vim.ui.select = function(items, _, on_choice)
  for i, it in ipairs(items) do
    if it[2].title:match(vim.env.TITLE) then return on_choice(it, i) end
  end
  on_choice(nil)
end
local n = vim.api.nvim_buf_line_count(0)
if d then
  vim.api.nvim_win_set_cursor(0, { d.lnum + 1, d.col })
  vim.lsp.buf.code_action()
  vim.wait(20000, function() return vim.api.nvim_buf_line_count(0) > n end, 50)
end
vim.fn.writefile(vim.api.nvim_buf_get_lines(0, 0, -1, false), vim.env.OUT)
vim.cmd('qa!')
EOF
  # nvim_action FILE RULE TITLE WANT WHAT: opens FILE (copied from $W) in Neovim with the snippet,
  # applies the action, compares the buffer with WANT
  nvim_action() {
    cp "$W/$1" "$T/nv/$(basename "$1")" || exit 2
    (cd "$T/nv" && PATH=$(dirname "$OMEN"):$PATH OUT="$T/action.out" RULE=$2 TITLE=$3 XDG_CACHE_HOME="$T/xdg" \
      XDG_STATE_HOME="$T/xdg" XDG_DATA_HOME="$T/xdg" XDG_CONFIG_HOME="$T/xdg" timeout 60 nvim --headless \
      -u "$T/init.lua" -c "luafile $T/action.lua" "$(basename "$1")" >"$T/nvim2.log" 2>&1)
    if cmp -s "$4" "$T/action.out"; then
      echo "ok: $5"
    else
      echo "FAIL: Neovim: $5: the buffer is not the expected text" >&2
      diff "$4" "$T/action.out" >&2
      sed 's/^/  | /' "$T/nvim2.log" >&2
      fail=1
    fi
  }
  # Go: the safe fix of the first rows leak lands after the é and emoji on its line
  awk '/\{ return 0, err \}$/ { print; print "\tdefer rows.Close()"; next } 1' "$W/db/rows.go" >"$T/want.go"
  nvim_action db/rows.go resource-leak/sql-rows-not-closed 'defer rows.Close' "$T/want.go" \
    "Neovim applies the quick fix of a Go finding through vim.lsp.buf.code_action()"
  # C: the thread never joined gets its (unsafe) pthread_detach fix
  awk '{ print } /pthread_create\(/ { print "  pthread_detach(t);" }' "$W/t.c" >"$T/want.c"
  nvim_action t.c thread-leak/thread-not-joined 'detach the thread' "$T/want.c" \
    "Neovim shows the finding of a C file and applies its fix through vim.lsp.buf.code_action()"
elif [ "${CI:-}" = "true" ]; then
  echo "FAIL: nvim is required in CI (tools/deps.sh --test installs it)" >&2
  fail=1
else
  echo "NOTE: nvim is not installed: the Neovim snippet of docs/editors.md is not tried"
fi
# Emacs with eglot, with the elisp block of docs/editors.md (tests/lsp/eglot.sh; required in CI)
echo "--- eglot"
sh "$SRC/tests/lsp/eglot.sh" "$OMEN" "$SRC" "$T"
rc=$?
if [ $rc -eq 77 ]; then
  echo "NOTE: emacs, eglot or go-mode is not installed: the eglot snippet of docs/editors.md is not tried"
elif [ $rc -ne 0 ]; then
  fail=1
fi
exit $fail
