#!/bin/sh
# demo.sh - installs what is missing, builds omen, and runs it on examples/demo (Go and C).
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
sh "$root/tools/deps.sh"
cmake -S "$root" -B "$root/build" -DCMAKE_BUILD_TYPE=Release -DOMEN_TESTS=OFF >/dev/null
cmake --build "$root/build" -j"$(nproc)" >/dev/null
cd "$root/examples/demo"
set +e
"$root/build/omen" check ./...
rc=$?
echo "(omen exited with $rc: 0 clean, 1 findings, 2 trouble)"
echo
echo "The fixes omen can apply (--diff shows them, --fix --unsafe-fixes applies them):"
"$root/build/omen" check --diff --unsafe-fixes ./...
exit 0
