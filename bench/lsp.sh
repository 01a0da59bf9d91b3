#!/bin/sh
# lsp.sh - the latency of `omen lsp` from a change to its findings on a 3,000-line Go file and a
# 3,000-line C file (bench/lsp.js), with a Release build. Prints figures; a benchmark, not a test.
# usage: sh bench/lsp.sh [SAMPLES]   (default 30 edits per file)
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
sh "$root/tools/deps.sh" --bench
build="$root/build-bench"
cmake -S "$root" -B "$build" -DCMAKE_BUILD_TYPE=Release -DOMEN_TESTS=OFF >/dev/null
cmake --build "$build" -j"$(nproc)" >/dev/null
npm_dir="$build/_npm_lsp"
pkgs="vscode-jsonrpc@8.2.0 vscode-languageserver-protocol@3.17.5"
if [ ! -f "$npm_dir/node_modules/vscode-languageserver-protocol/package.json" ]; then
  mkdir -p "$npm_dir"
  # shellcheck disable=SC2086
  npm install --prefix "$npm_dir" --no-audit --no-fund --silent $pkgs >&2
fi
echo "$("$build/omen" version 2>/dev/null | head -1), $(nproc) cores, $(uname -m), load average $(cut -d" " -f1 /proc/loadavg)"
NODE_PATH="$npm_dir/node_modules" node "$root/bench/lsp.js" "$build/omen" "${1:-30}"
