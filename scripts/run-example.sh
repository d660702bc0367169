#!/usr/bin/env bash
# The README's main job: installs what is missing, builds Octet, compiles
# the bundled digits CNN (examples/digits, trained on scikit-learn's digits)
# ahead of time into an object file and a C header, links it into a small C
# program that classifies the held-out digits, in float and quantized to
# int8; then does the same with a model written in the C++ builder DSL.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
build="${OCTET_BUILD_DIR:-$root/build}"
bash "$root/scripts/setup.sh"
bash "$root/scripts/build.sh"
out="$build/example"
mkdir -p "$out"

echo "== 1. octetc compiles examples/digits/digits_cnn.onnx: $out/digits.o + digits.h"
"$build/bin/octetc" "$root/examples/digits/digits_cnn.onnx" -o "$out/digits" --name=digits
/usr/bin/python3 "$root/examples/digits/train_digits.py" --data-only \
  --calibration 256 --out "$out"
cc -std=c11 -O2 -I "$out" "$root/examples/digits/classify_digits.c" \
  "$out/digits.o" -lm -o "$out/classify_digits"
"$out/classify_digits" "$out/heldout.bin" "$out/heldout_labels.bin" |
  tee "$out/float.txt"
echo "   (torch, float, on the same split: 99.44%)"

echo "== 1b. the same model as int8 (--quantize=int8, calibrated on 256 training digits)"
mkdir -p "$out/int8"
"$build/bin/octetc" "$root/examples/digits/digits_cnn.onnx" -o "$out/int8/digits" \
  --name=digits --quantize=int8 --calibration-data "$out/calibration.npy" \
  --report > "$out/int8/report.txt"
sed -n '/^Integer layers/,$p' "$out/int8/report.txt"
cc -std=c11 -O2 -I "$out/int8" "$root/examples/digits/classify_digits.c" \
  "$out/int8/digits.o" -lm -o "$out/classify_digits_int8"
"$out/classify_digits_int8" "$out/heldout.bin" "$out/heldout_labels.bin" |
  tee "$out/int8.txt"
latency() { sed -n 's/^latency: \([0-9.]*\) us.*/\1/p' "$1"; }
awk -v f="$(latency "$out/float.txt")" -v q="$(latency "$out/int8.txt")" \
  'BEGIN { printf "   int8 speedup over float: %.2fx (%s us vs %s us per image)\n", f / q, q, f }'
echo "   (x86 int8 kernels for the build's --cpu, default x86-64-v3: AVX2 vpmaddubsw"
echo "    on weight pairs proven exact, else vpmaddwd; --cpu=native uses VNNI if any;"
echo "    the images are 8x8, so per-layer overheads weigh more than on big models)"
echo "   (the full report, worst layers first: $out/int8/report.txt)"

echo "== 2. a model written with the builder DSL (examples/builder/mlp.cpp)"
"$build/bin/octet-builder-mlp" "$out/mlp.mlir"
"$build/bin/octet-opt" "$out/mlp.mlir" --print-op-stats -o /dev/null

echo "== 3. octetc compiles it for $(uname -m): $out/mlp.o + $out/mlp.h"
"$build/bin/octetc" "$out/mlp.mlir" -o "$out/mlp" --name=mlp
grep -E '^#define MLP_(SCRATCH|WEIGHT)_BYTES' "$out/mlp.h"
echo "   undefined symbols of the object (no malloc, no libm):" \
  "$(nm -u "$out/mlp.o" | awk '{print $2}' | tr '\n' ' ')"

echo "== 4. a C program links mlp.o and runs it (examples/c/run_mlp.c)"
cc -std=c11 -O2 -I "$out" "$root/examples/c/run_mlp.c" "$out/mlp.o" \
  -o "$out/run_mlp"
"$out/run_mlp"
