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
    "$work/$name/digits.o" -lm -o "$work/classify_$name"
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

# --quantized-io: the caller passes the u8 image and reads u8 logits, with
# the scale and zero point from the header's descriptors; classifying the
# same digits as the float-interface build.
check int8_io --load-stats "$work/stats.json" --quantized-io
grep -q '{"image", OCTET_DTYPE_U8, 4, digits_input_0_dims, 64, 1, ' \
  "$work/int8_io/digits.h" ||
  { echo "FAIL: the input descriptor is not quantized u8"; exit 1; }
grep -q '{"logits", OCTET_DTYPE_U8, 2, digits_output_0_dims, 10, 1, ' \
  "$work/int8_io/digits.h" ||
  { echo "FAIL: the output descriptor is not quantized u8"; exit 1; }
[ "$("$work/classify_int8_io" "$work/heldout.bin" "$work/heldout_labels.bin" | head -1)" = \
  "$("$work/classify_int8_loaded" "$work/heldout.bin" "$work/heldout_labels.bin" | head -1)" ] ||
  { echo "FAIL: --quantized-io classifies differently"; exit 1; }
echo "int8: --quantized-io (u8 input and logits, scale and zero point in the header) classifies the same"

# The report: every layer's SQNR; every layer (convolutions, max pools,
# classifier) is an integer layer; weights shrink about 4x.
"$octetc" "$model" -o "$work/report" --quantize=int8 \
  --calibration-data "$work/calibration.npy" --report=json > "$work/report.json"
/usr/bin/python3 - "$work/report.json" <<'PY'
import json, sys
r = json.load(open(sys.argv[1]))
assert len(r["integer_layers"]) == 5 and not r["float_layers"], r
assert all(a["sqnr_db"] > 30 for a in r["activations"]), r["activations"]
# End to end (the quantized model against float, calibration data): the
# logits keep more than 35 dB, and no value is better end to end than its
# own quantization alone allows.
logits = [a for a in r["activations"] if a["name"] == "/fc/Gemm"][0]
assert logits["accumulated_sqnr_db"] > 35, logits
assert all(a["accumulated_sqnr_db"] <= a["sqnr_db"] + 0.5
           for a in r["activations"]), r["activations"]
assert all(w["weight_sqnr_db"] >= 35 for w in r["weights"]), r["weights"]
assert r["weight_bytes_after"] * 3 < r["weight_bytes_before"], r
print("int8 report: %d integer layers, activation SQNR >= %.1f dB, "
      "logits end to end %.1f dB, "
      "weight SQNR >= %.1f dB, weights %d -> %d bytes" % (
          len(r["integer_layers"]), min(a["sqnr_db"] for a in r["activations"]),
          logits["accumulated_sqnr_db"],
          min(w["weight_sqnr_db"] for w in r["weights"]),
          r["weight_bytes_before"], r["weight_bytes_after"]))
PY

# The same quantized model for AArch64, under qemu: identical outputs (the
# logits are dequantized int8 values) for the first 16 held-out digits.
if command -v qemu-aarch64 >/dev/null && command -v aarch64-linux-gnu-gcc >/dev/null; then
  harness="$root/test/e2e/harness.c"
  mkdir -p "$work/aarch64"
  "$octetc" "$model" -o "$work/aarch64/digits" --name=digits --quantize=int8 \
    --load-stats "$work/stats.json" --target=aarch64-linux-gnu
  cc -std=c11 -O1 -DMODEL_HEADER="\"$work/int8_minmax/digits.h\"" -DMODEL=digits \
    "$harness" "$work/int8_minmax/digits.o" -o "$work/run_x86_64"
  aarch64-linux-gnu-gcc -std=c11 -O1 -static \
    -DMODEL_HEADER="\"$work/aarch64/digits.h\"" -DMODEL=digits \
    "$harness" "$work/aarch64/digits.o" -o "$work/run_aarch64"
  for i in $(seq 0 15); do
    dd if="$work/heldout.bin" of="$work/image$i.bin" bs=256 skip="$i" count=1 status=none
    "$work/run_x86_64" "$work/image$i.bin" "$work/x86_64_$i.bin"
    qemu-aarch64 "$work/run_aarch64" "$work/image$i.bin" "$work/aarch64_$i.bin"
    cmp "$work/x86_64_$i.bin" "$work/aarch64_$i.bin" ||
      { echo "FAIL: x86-64 and AArch64 differ on digit $i"; exit 1; }
  done
  echo "int8: x86-64 and AArch64 (qemu) give identical outputs on 16 digits"
fi
