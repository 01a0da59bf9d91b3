# lib.sh - helpers for the script tests (sourced): counting checks, exit codes, output matching.
# A test sets T (its temporary directory) before using expect_rc; it ends with `finish`.
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*" >&2; }
# expect_rc WANT DESCRIPTION COMMAND...: runs it with stdout in $T/out and stderr in $T/err
expect_rc() {
  want=$1; what=$2; shift 2
  "$@" >"$T/out" 2>"$T/err"
  rc=$?
  if [ "$rc" -eq "$want" ]; then ok; else bad "$what: exit $rc, want $want"; sed 's/^/  | /' "$T/err" >&2; fi
}
# has FILE PATTERN DESCRIPTION / hasnt ...: a grep (basic regular expression) match in FILE
has() {
  if grep -q -- "$2" "$1"; then ok; else bad "$3: no '$2' in output"; sed 's/^/  | /' "$1" >&2; fi
}
hasnt() {
  if grep -q -- "$2" "$1"; then bad "$3: unexpected '$2'"; sed 's/^/  | /' "$1" >&2; else ok; fi
}
# count FILE PATTERN WANT DESCRIPTION: the number of lines containing PATTERN
count() {
  n=$(grep -c -- "$2" "$1")
  if [ "$n" -eq "$3" ]; then ok; else bad "$4: $n lines with '$2', want $3"; sed 's/^/  | /' "$1" >&2; fi
}
finish() {
  echo "$pass passed, $fail failed"
  [ "$fail" -eq 0 ]
}
