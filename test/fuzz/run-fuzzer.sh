#!/usr/bin/env bash
# Runs the importer fuzzer on a seed corpus (small ONNX backend test
# models, the importer's text tests and the malformed corpus). In ctest the
# run is deterministic (fixed seed and number of inputs), so a pass here is a
# pass in CI; explore longer with a time budget and a random seed:
#   run-fuzzer.sh FUZZER SRC_ROOT RUNS [SECONDS SEED]
set -euo pipefail
fuzzer="$1" root="$2" runs="${3:-20000}" seconds="${4:-600}" seed="${5:-1}"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/corpus" "$work/malformed"
# Seeds: every backend node-test model under 4 KiB, and the text tests.
find /usr/share/libonnx-testdata/data/node -name model.onnx -size -4k |
  sort > "$work/seeds.txt"
while read -r f; do
  cp "$f" "$work/corpus/$(basename "$(dirname "$f")").onnx"
done < <(sed -n 1,200p "$work/seeds.txt")
cp "$root"/test/frontend/onnx/*.onnxtxt "$work/corpus/" 2>/dev/null || true
if [ -f "$root/test/frontend/malformed/generate.py" ]; then
  /usr/bin/python3 "$root/test/frontend/malformed/generate.py" "$work/malformed" >/dev/null
  find "$work/malformed" -type f -name '*.onnx*' -exec cp {} "$work/corpus/" \;
fi
echo "fuzzing the ONNX importer: $runs inputs (seed $seed) from $(ls "$work/corpus" | wc -l) seeds"
"$fuzzer" "$work/corpus" -runs="$runs" -seed="$seed" \
  -max_total_time="$seconds" -timeout=20 \
  -rss_limit_mb=3072 -max_len=65536 -print_final_stats=1 \
  -artifact_prefix="$work/" 2>&1 | tail -25
status=${PIPESTATUS[0]}
if [ "$status" -ne 0 ]; then
  echo "fuzzer found a failure (exit $status); reproducer:"
  ls "$work"/crash-* "$work"/timeout-* "$work"/leak-* "$work"/oom-* 2>/dev/null
  cp "$work"/crash-* "$work"/timeout-* "$work"/leak-* "$work"/oom-* . 2>/dev/null || true
  exit 1
fi
echo "fuzzer: no failures"
