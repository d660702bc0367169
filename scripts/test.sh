#!/usr/bin/env bash
# The README's test command: installs what is missing, builds, and runs every
# test (lit + GoogleTest + checks) through one ctest.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${OCTET_BUILD_DIR:-$root/build}"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh"
cd "$build"
status=0
ctest -j "${OCTET_JOBS:-2}" --output-on-failure || status=$?
# ctest counts lit as one test; show how many lit tests ran inside it.
grep -hE '^(Total Discovered Tests|  (Passed|Failed|Unsupported|Expectedly Failed))' \
  Testing/Temporary/LastTest.log 2>/dev/null | sed 's/^/lit: /' || true
exit $status
