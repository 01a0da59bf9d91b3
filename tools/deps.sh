#!/bin/sh
# deps.sh - installs what omen needs to build and test on Debian 12, only what is missing.
# Debian packages through apt-get (one update, never a prompt); npm comes with the base image.
set -eu
pkgs="cmake make gcc pkg-config libclang-14-dev clang-14 libtree-sitter-dev libcjson-dev libpcre2-dev libyaml-dev zlib1g-dev golang-go patch pre-commit"
# --test: the editors the language server is tried with (tests/lsp.test.sh)
[ "${1:-}" = "--test" ] && pkgs="$pkgs neovim emacs-nox elpa-eglot elpa-go-mode"
[ "${1:-}" = "--bench" ] && pkgs="$pkgs golang-1.19-src time"
[ "${1:-}" = "--bench-c" ] && pkgs="$pkgs time bc clang-tidy-14 uwsgi-src bluez-source"
[ "${1:-}" = "--bench-instructions" ] && pkgs="$pkgs golang-1.19-src time valgrind"
missing=""
for p in $pkgs; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing="$missing $p"
done
command -v npm >/dev/null 2>&1 || missing="$missing npm"
if [ -n "$missing" ]; then
  echo "deps: installing$missing" >&2
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  # shellcheck disable=SC2086
  $SUDO apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
