#!/usr/bin/env bash
# Test: the bundled digits CNN quantized to int8 by octetc (static
# post-training quantization, calibrated on 256 training images) still
# classifies the held-out split within 1% of float (>= 356 of 360, float
# gets 358); with histogram observers and the 99.99th percentile too; and
# statistics saved by one compile and loaded by another give the identical
# object.
# Usage: check_digits_int8.sh OCTETC SRC_ROOT WORK_DIR
set -euo pipefail
octetc="$1" root="$2" work="$3"
mkdir -p "$work"
/usr/bin/python3 "$root/examples/digits/train_digits.py" --data-only \
  --calibration 256 --out "$work"
model="$root/examples/digits/digits_cnn.onnx"

check() { # name, octetc flags...
  local name="$1"; shift
  mkdir -p "$work/$name"
  "$octetc" "$model" -o "$work/$name/digits" --name=digits --quantize=int8 "$@"
  cc -std=c11 -O2 -I "$work/$name" "$root/examples/digits/classify_digits.c" \
    "$work/$name/digits.o" -o "$work/classify_$name"
  local result correct
  result=$("$work/classify_$name" "$work/heldout.bin" "$work/heldout_labels.bin")
  echo "$name: $result" | head -1
  correct=$(sed -n 's/.*(\([0-9]*\) of 360.*/\1/p' <<<"$result")
  [ "$correct" -ge 356 ] || { echo "FAIL: $name classifies $correct of 360"; exit 1; }
}

check int8_minmax --calibration-data "$work/calibration.npy" \
  --save-stats "$work/stats.json"
check int8_percentile --calibration-data "$work/calibration.npy" \
  --observer=histogram --calibration-method=percentile --percentile=99.99
check int8_loaded --load-stats "$work/stats.json"
cmp "$work/int8_minmax/digits.o" "$work/int8_loaded/digits.o" ||
  { echo "FAIL: loaded statistics give a different object"; exit 1; }
echo "int8: saved and loaded statistics give the identical object"
