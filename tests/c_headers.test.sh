#!/bin/sh
# c_headers.test.sh - C/C++ project headers are analyzed once per run (not once per TU that includes
# them), findings in system headers never show, suppressions and fixes work in headers, and headers
# named on the command line are analyzed. The project: testdata/c-headers (a header with a lock
# leaked on an error return, included by three .c files and a .cpp; a system header with the same
# bug, reached through -isystem).
# usage: sh c_headers.test.sh OMEN SOURCE_DIR BUILD_DIR
set -u
OMEN=$1
SRC=$2
. "$SRC/tests/lib.sh"

T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
cp -r "$SRC/testdata/c-headers" "$T/p"
cd "$T/p" || exit 2
RULE='\[deadlock/lock-leak-on-return\]'
AT='^include/pool.h:19:5: error: returns with p->lock still locked'

# without a compile database: one finding, at the header's line, whatever -j
for j in 1 2; do
  expect_rc 1 "no database, -j$j" "$OMEN" check -j$j .
  count "$T/out" "$RULE" 1 "the header's bug is reported once, not once per TU (-j$j)"
  has "$T/out" "$AT" "reported at the header's path and line (-j$j)"
  has "$T/out" "1 suppressed" "the suppression comment in the header is honored (-j$j)"
  has "$T/out" "in 6 files" "5 TUs and the header, analyzed once (-j$j)"
  cp "$T/out" "$T/out-j$j"
done
if cmp -s "$T/out-j1" "$T/out-j2"; then ok; else bad "-j1 and -j2 differ"; fi
"$OMEN" check --format json -j2 . >"$T/json" 2>/dev/null
count "$T/json" '"scope":[[:space:]]*"pool_take"' 1 "JSON: the enclosing function in the header"

# with a compile database: the vendor header comes through -isystem and is never reported
mkdir -p build
printf '[' >build/compile_commands.json
sep=''
for f in accept.c read.c write.c vendor_user.c stats.cpp; do
  cc=cc; [ "$f" = stats.cpp ] && cc=c++
  printf '%s{"directory": "%s/build", "file": "../src/%s", "command": "%s -isystem ../sys -I../include -c ../src/%s"}\n' \
    "$sep" "$T/p" "$f" "$cc" "$f" >>build/compile_commands.json
  sep=','
done
printf ']\n' >>build/compile_commands.json
for j in 1 2; do
  expect_rc 1 "-p build, -j$j" "$OMEN" check -j$j -p build .
  count "$T/out" "$RULE" 1 "-p build: the header's bug once (-j$j)"
  has "$T/out" "$AT" "-p build: at the header's line (-j$j)"
  hasnt "$T/out" "vendorpool.h" "-p build: nothing in the system header (-j$j)"
  hasnt "$T/out" "compile error" "-p build: the database's flags are used (-j$j)"
done
# the control: the same header reached with -I is a project header, and its bug shows
sed 's/-isystem/-I/' build/compile_commands.json >"$T/cdb" && mkdir -p "$T/cdb2" &&
  mv "$T/cdb" "$T/cdb2/compile_commands.json"
"$OMEN" check -p "$T/cdb2" . >"$T/out" 2>/dev/null
count "$T/out" "^sys/vendorpool.h:16:5: error: .*$RULE" 1 "the vendor header's bug when it is not a system header"

# a header named alone takes the flags of the nearest database entry (here: -I../include)
printf '#include "pool.h"\n\nstatic inline int pool_peek(struct pool *p) {\n  pthread_mutex_lock(&p->lock);\n  if (p->n == 0)\n    return -1;\n  int fd = p->fds[p->n - 1];\n  pthread_mutex_unlock(&p->lock);\n  return fd;\n}\n' >src/peek.h
"$OMEN" check -p build src/peek.h >"$T/out" 2>/dev/null
count "$T/out" "^src/peek.h:6:5: error: .*$RULE" 1 "a header named alone, with the database's flags"
mv build build.off
"$OMEN" check src/peek.h >"$T/out" 2>/dev/null
count "$T/out" "$RULE" 0 "the control: without the database pool.h is not found"
mv build.off build
rm src/peek.h

# which headers: beside the named files or under the named directories, not excluded
"$OMEN" check src/accept.c >"$T/out" 2>/dev/null
count "$T/out" "$RULE" 0 "a header outside the named file's directory is not the run's"
"$OMEN" check src/accept.c include/pool.h >"$T/out" 2>/dev/null
count "$T/out" "$AT" 1 "a header named beside a TU including it: once"
has "$T/out" "in 2 files" "the header counts as a file"
"$OMEN" check --exclude include src include >"$T/out" 2>/dev/null
count "$T/out" "$RULE" 0 "--exclude applies to headers"
printf 'exclude:\n  - "include/"\n' >.omen.yml
"$OMEN" check . >"$T/out" 2>/dev/null
count "$T/out" "$RULE" 0 "configuration excludes apply to headers"
rm .omen.yml

# a header named alone is parsed as a TU of its own (.h as C, .hpp as C++)
expect_rc 1 "a header named alone" "$OMEN" check include/pool.h
count "$T/out" "$AT" 1 "a .h named alone is analyzed"
printf '#include <mutex>\nstruct guarded { std::mutex mu; int n; };\ninline int take(guarded &g) {\n  g.mu.lock();\n  if (g.n == 0)\n    return -1;\n  int v = --g.n;\n  g.mu.unlock();\n  return v;\n}\n' >include/g.hpp
expect_rc 1 "a .hpp named alone" "$OMEN" check include/g.hpp
count "$T/out" "^include/g.hpp:6:5: .*$RULE" 1 "a .hpp named alone is analyzed as C++"
rm include/g.hpp
printf '/* needs pool.h included first */\nstatic inline int pool_size(struct pool *p) { return (int)p->n; }\n' >include/size.h
expect_rc 0 "a header that does not compile alone, named alone" "$OMEN" check include/size.h
hasnt "$T/out" "compile error" "a header named alone need not compile alone"
rm include/size.h

# pack rules run on project headers too, once per run (the header reached from C and from C++)
cat >"$T/lock.yml" <<'EOF2'
rules:
  - id: test-pack/lock-call
    language: [c, cpp]
    severity: warning
    confidence: high
    message: "a lock is taken here"
    query: |
      (call_expression function: (identifier) @fn) @call
      (#eq? @fn "pthread_mutex_lock")
    report: call
    doc: {summary: "a lock call", what: "w", why: "y", instead: "i"}
    examples:
      - bad: "void f(pthread_mutex_t *m) { pthread_mutex_lock(m); }"
      - good: "void f(pthread_mutex_t *m) { pthread_mutex_unlock(m); }"
EOF2
n=$(grep -c 'pthread_mutex_lock(' include/pool.h)
for j in 1 2; do
  "$OMEN" check -j$j --no-default-rules --rules "$T/lock.yml" . >"$T/out" 2>/dev/null
  count "$T/out" "^include/pool.h:.*\[test-pack/lock-call\]" "$n" "a pack rule: each lock call in the header once (-j$j)"
done

# omen fix: the header's fix applied once; every TU still compiles; the finding is gone
"$OMEN" fix --diff . >"$T/out" 2>"$T/err"
count "$T/out" '^+++ .*include/pool.h' 1 "omen fix --diff: one patch of the header"
count "$T/out" '^+    pthread_mutex_unlock(&p->lock);' 1 "omen fix --diff: the unlock added once"
"$OMEN" fix . >"$T/out" 2>"$T/err"
count include/pool.h 'pthread_mutex_unlock(&p->lock);' 3 "the fix added one unlock to the header"
for f in src/accept.c src/read.c src/write.c; do
  if cc -fsyntax-only "$f"; then ok; else bad "$f does not compile after the fix"; fi
done
if c++ -fsyntax-only src/stats.cpp; then ok; else bad "src/stats.cpp does not compile after the fix"; fi
"$OMEN" check . >"$T/out" 2>/dev/null
count "$T/out" "$RULE" 0 "fixed: no finding in the header"

# headers are read as files are: invalid UTF-8 keeps its positions, a binary header is a read error
mkdir -p "$T/odd" && cd "$T/odd" || exit 2
printf '#include <pthread.h>\n/* caf\351 \377\376 */\nstatic inline int f(pthread_mutex_t *m, int x) {\n  pthread_mutex_lock(m);\n  if (x)\n    return -1;\n  pthread_mutex_unlock(m);\n  return 0;\n}\n' >u.h
printf 'static int y;\n\000\n' >b.h
printf '#include "u.h"\n#include "b.h"\nint g(pthread_mutex_t *m) { return f(m, 1) + y; }\n' >m.c
"$OMEN" check . >"$T/out" 2>/dev/null
count "$T/out" "^u.h:6:5: error: .*$RULE" 1 "a header with invalid UTF-8: the finding at its line"
count "$T/out" "^b.h:1:1: error: not analyzed: binary file" 1 "a binary header: one read error"
finish
