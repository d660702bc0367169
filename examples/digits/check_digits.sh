#!/usr/bin/env bash
# Test: the bundled digits CNN compiled by octetc classifies the held-out
# split exactly as well as torch did when it was trained (358 of 360).
# Usage: check_digits.sh OCTETC SRC_ROOT WORK_DIR
set -euo pipefail
octetc="$1" root="$2" work="$3"
mkdir -p "$work"
"$octetc" "$root/examples/digits/digits_cnn.onnx" -o "$work/digits" --name=digits
/usr/bin/python3 "$root/examples/digits/train_digits.py" --data-only --out "$work"
cc -std=c11 -O2 -I "$work" "$root/examples/digits/classify_digits.c" \
  "$work/digits.o" -lm -o "$work/classify_digits"
result=$("$work/classify_digits" "$work/heldout.bin" "$work/heldout_labels.bin")
echo "$result"
grep -q "(358 of 360 held-out digits)" <<<"$result"
