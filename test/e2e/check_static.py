#!/usr/bin/env python3
"""Static int8 (--quantize=int8) on an e2e CNN: calibrated on random
inputs, every layer of the ResNet- and MobileNet-style models runs on
integers (no layer left in float, per the report), every convolution's
per-channel int8 weights keep an SQNR of at least 35 dB, the output keeps an SQNR
of at least 25 dB against the float model on held-out inputs, and the
AArch64 build (under qemu) gives bit-identical outputs.

  check_static.py --octetc BIN --model resnet_tiny --work DIR [--aarch64]
"""
import argparse
import json
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_model  # noqa: E402
from e2e_util import output  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
CALIBRATION_SAMPLES = 32
HELDOUT_SAMPLES = 8
MIN_SQNR_DB = 25.0
MIN_WEIGHT_SQNR_DB = 35.0  # per-channel int8 weights of every conv


def build(octetc, onnx_path, obj, flags, aarch64=False):
    """Compiles the model to `obj`.o/.h and links the harness; returns the
    command that runs it."""
    cmd = [octetc, onnx_path, "-o", obj, "--name=m"] + flags
    if aarch64:
        cmd.append("--target=aarch64-linux-gnu")
    output(cmd)
    exe = obj + ".exe"
    cc = "aarch64-linux-gnu-gcc" if aarch64 else "cc"
    output([cc, "-std=c11", "-O1", "-DMODEL_HEADER=\"%s.h\"" % obj,
            "-DMODEL=m", os.path.join(HERE, "harness.c"), obj + ".o", "-o",
            exe, "-static" if aarch64 else "-no-pie"])
    return (["qemu-aarch64"] if aarch64 else []) + [exe]


def run_all(runner, inputs, stem):
    """Runs every held-out input through `runner`; returns the outputs."""
    outs = []
    for i, x in enumerate(inputs):
        in_file, out_file = "%s.in%d.bin" % (stem, i), "%s.out%d.bin" % (stem, i)
        x.astype(np.float32).tofile(in_file)
        output(runner + [in_file, out_file])
        outs.append(np.fromfile(out_file, dtype=np.float32))
    return np.stack(outs)


def sqnr_db(reference, approx):
    noise = np.sum((reference.astype(np.float64) - approx) ** 2)
    return 10 * np.log10(np.sum(reference.astype(np.float64) ** 2) / noise)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--octetc", required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--aarch64", action="store_true",
                   help="also build for AArch64 and compare under qemu")
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    stem = os.path.join(args.work, args.model + "_static")
    _, example = export_model.export(args.model, stem + ".onnx")
    shape = tuple(example[0].shape)
    rng = np.random.default_rng(0)
    calibration = rng.standard_normal((CALIBRATION_SAMPLES,) + shape,
                                      dtype=np.float32)
    np.save(stem + ".calibration.npy", calibration)
    heldout = rng.standard_normal((HELDOUT_SAMPLES,) + shape, dtype=np.float32)

    stats = stem + ".stats.json"
    report = json.loads(output([
        args.octetc, stem + ".onnx", "-o", stem + ".report", "--quantize=int8",
        "--calibration-data", stem + ".calibration.npy", "--save-stats", stats,
        "--report=json"]))
    if report["float_layers"] or not report["integer_layers"]:
        print("%s: layers left in float: %s" % (args.model,
                                                report["float_layers"]))
        return 1
    weak = [w for w in report["weights"]
            if w["op"] == "conv2d" and w.get("weight_sqnr_db", 1e9) < MIN_WEIGHT_SQNR_DB]
    if weak:
        print("%s: conv weights below %g dB SQNR: %s" % (args.model,
                                                       MIN_WEIGHT_SQNR_DB, weak))
        return 1

    onnx_path = stem + ".onnx"
    want = run_all(build(args.octetc, onnx_path, stem + "_f32", []), heldout,
                   stem + "_f32")
    int8 = ["--quantize=int8", "--load-stats", stats]
    got = run_all(build(args.octetc, onnx_path, stem + "_int8", int8), heldout,
                  stem + "_int8")
    sqnr = sqnr_db(want, got)
    ok = sqnr >= MIN_SQNR_DB
    print("%s: %d integer layers, none float; conv weight SQNR >= %.1f dB; "
          "output SQNR vs float %.1f dB (limit %g) on %d held-out inputs: %s"
          % (args.model, len(report["integer_layers"]),
             min(w["weight_sqnr_db"] for w in report["weights"]), sqnr,
             MIN_SQNR_DB, HELDOUT_SAMPLES, "ok" if ok else "TOO LOW"))
    if args.aarch64:
        arm = run_all(build(args.octetc, onnx_path, stem + "_int8_aarch64",
                            int8, aarch64=True), heldout, stem + "_arm")
        same = np.array_equal(arm.view(np.uint32), got.view(np.uint32))
        print("%s: AArch64 (qemu) int8 outputs %s x86-64's" %
              (args.model, "bit-identical to" if same else "DIFFER from"))
        ok &= same
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
