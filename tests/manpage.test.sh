#!/bin/sh
# manpage.test.sh - docs/omen.1 renders without warnings (with groff or mandoc, when installed), has
# the usual sections, names every command and flag `omen --help` lists and omen's version, and
# `cmake --install` puts it in man1; the YAML examples of docs/ci.md parse (with python3's yaml).
# usage: sh manpage.test.sh OMEN SOURCE_DIR BUILD_DIR
set -u
OMEN=$1
SRC=$2
BUILD=$3
MAN="$SRC/docs/omen.1"
. "$SRC/tests/lib.sh"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
[ -f "$MAN" ] || { echo "FAIL: $MAN is missing" >&2; exit 1; }

# rendering: groff (man-db's formatter) or mandoc, whichever is installed; both are optional
rendered=0
if command -v groff >/dev/null 2>&1; then
  rendered=1
  for width in 60n 80n; do
    groff -man -Tutf8 -ww -z -rLL="$width" "$MAN" >"$T/out" 2>&1
    if [ $? -eq 0 ] && [ ! -s "$T/out" ]; then ok; else
      bad "groff warns on docs/omen.1 (line length $width)"
      sed 's/^/  | /' "$T/out" >&2
    fi
  done
fi
if command -v mandoc >/dev/null 2>&1; then
  rendered=1
  if mandoc -Tlint -W warning "$MAN" >"$T/out" 2>&1; then ok; else
    bad "mandoc -Tlint warns on docs/omen.1"
    sed 's/^/  | /' "$T/out" >&2
  fi
fi
[ "$rendered" -eq 1 ] || echo "NOTE: neither groff nor mandoc is installed: docs/omen.1 is not rendered, only read"

# the source with roff escapes for the hyphen, fonts and zero-width space removed
sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' -e 's/\\&//g' "$MAN" >"$T/plain"

for s in NAME SYNOPSIS DESCRIPTION COMMANDS OPTIONS CONFIGURATION SUPPRESSIONS "EXIT STATUS" ENVIRONMENT \
  FILES EXAMPLES "SEE ALSO"; do
  if grep -q "^\.SH \"\{0,1\}$s\"\{0,1\}$" "$T/plain"; then ok; else bad "no section $s"; fi
done
grep -q 'NO_COLOR' "$T/plain" && ok || bad "ENVIRONMENT does not mention NO_COLOR"
grep -q '\.omen\.yml' "$T/plain" && ok || bad "FILES does not mention .omen.yml"

# every flag of omen --help, long and short, appears in the man page as a whole word
"$OMEN" --help >"$T/help" 2>&1 || { bad "omen --help failed"; cat "$T/help" >&2; }
grep -oE -- '--[a-z][a-z0-9-]*' "$T/help" >"$T/flags"
grep -oE -- '(^|[[:space:],[])-[a-zA-Z]([[:space:],=]|$)' "$T/help" | tr -d ' \t,[=' >>"$T/flags"
sort -u "$T/flags" >"$T/flagset"
nflags=$(wc -l <"$T/flagset")
[ "$nflags" -ge 10 ] && ok || bad "found only $nflags flags in omen --help: did its layout change?"
while read -r flag; do
  if grep -qE -- "(^|[^a-zA-Z0-9-])$flag([^a-zA-Z0-9-]|\$)" "$T/plain"; then ok; else
    bad "flag $flag (in omen --help) is missing from docs/omen.1"
  fi
done <"$T/flagset"

# every command listed under "commands:" in omen --help has a SYNOPSIS line
sed -n '/^commands:/,/^$/p' "$T/help" | sed -n 's/^  \([a-z][a-z-]*\).*/\1/p' | sort -u >"$T/commands"
ncmd=$(wc -l <"$T/commands")
[ "$ncmd" -ge 3 ] && ok || bad "found only $ncmd commands under 'commands:' in omen --help: did its layout change?"
while read -r cmd; do
  if grep -q "^\.B omen $cmd\( \|\$\)" "$T/plain"; then ok; else
    bad "command '$cmd' (in omen --help) has no SYNOPSIS line in docs/omen.1"
  fi
done <"$T/commands"

# the version in .TH is omen's
version=$("$OMEN" version 2>/dev/null)
if [ -n "$version" ] && grep -q "^\.TH OMEN 1 [^ ]* \"$version\"" "$T/plain"; then ok; else
  bad "the .TH line of docs/omen.1 does not name '$version' (update its version and date)"
fi

# cmake --install puts the page in share/man/man1
if [ -f "$BUILD/cmake_install.cmake" ]; then
  if cmake --install "$BUILD" --prefix "$T/inst" >"$T/out" 2>&1 && cmp -s "$MAN" "$T/inst/share/man/man1/omen.1"; then ok; else
    bad "cmake --install does not install docs/omen.1 as share/man/man1/omen.1"
    sed 's/^/  | /' "$T/out" >&2
  fi
else
  bad "no cmake_install.cmake in $BUILD"
fi

# docs/ci.md: each ```yaml block parses
if [ -f "$SRC/docs/ci.md" ] && command -v python3 >/dev/null 2>&1 && python3 -c 'import yaml' 2>/dev/null; then
  if python3 - "$SRC/docs/ci.md" >"$T/out" 2>&1 <<'EOF'; then ok; else bad "a YAML block of docs/ci.md does not parse"; sed 's/^/  | /' "$T/out" >&2; fi
import re, sys, yaml
text = open(sys.argv[1], encoding="utf-8").read()
blocks = re.findall(r"^```yaml\n(.*?)^```", text, re.S | re.M)
if len(blocks) < 4:
    sys.exit("only %d yaml blocks found" % len(blocks))
for b in blocks:
    yaml.safe_load(b)
print("%d yaml blocks parse" % len(blocks))
EOF
else
  echo "NOTE: python3 with yaml is not available: the YAML of docs/ci.md is not checked"
fi

finish
