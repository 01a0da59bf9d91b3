#!/bin/sh
# test.sh - installs what is missing, builds omen twice (plain, and with ASan+UBSan), and runs the
# whole test suite on both builds with ctest.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
sh "$root/tools/deps.sh" --test
jobs=$(nproc)
status=0
for variant in release asan; do
  dir="$root/build-test-$variant"
  flags="-DCMAKE_BUILD_TYPE=RelWithDebInfo"
  [ "$variant" = asan ] && flags="-DCMAKE_BUILD_TYPE=Debug -DOMEN_SANITIZE=ON"
  echo "== $variant build"
  # shellcheck disable=SC2086
  cmake -S "$root" -B "$dir" $flags >/dev/null
  cmake --build "$dir" -j"$jobs" 2>&1 | grep -E "warning|error" || true
  cmake --build "$dir" -j"$jobs" >/dev/null
  echo "== $variant tests"
  ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
    ctest --test-dir "$dir" --output-on-failure -j"$jobs" || status=1
done
exit $status
