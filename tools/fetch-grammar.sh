#!/bin/sh
# Fetches a tree-sitter grammar by package name from the npm registry and unpacks its src/.
# usage: fetch-grammar.sh PACKAGE@VERSION DEST_DIR
# No install scripts run (npm pack only downloads the tarball); nothing is committed.
set -eu
spec=$1
dest=$2
if [ -f "$dest/src/parser.c" ]; then
  exit 0
fi
command -v npm >/dev/null 2>&1 || { echo "fetch-grammar: npm is required (apt-get install npm)" >&2; exit 1; }
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "$spec" >/dev/null)
tarball=$(ls "$tmp"/*.tgz)
mkdir -p "$tmp/x"
tar -xzf "$tarball" -C "$tmp/x" package/src package/LICENSE
mkdir -p "$dest"
rm -rf "$dest/src"
cp -r "$tmp/x/package/src" "$dest/src"
cp "$tmp/x/package/LICENSE" "$dest/LICENSE"
