#!/usr/bin/env python3
"""The x86 int8 kernels (octet-x86-int8-kernels) against the portable
reference kernels: a statically quantized MLP with awkward shapes (5 rows,
so a 4-row tile and a 1-row rest; K = 37, odd; N = 53 and 29, not multiples
of the 16-column panels) compiled both ways gives bit-identical outputs on
random inputs, and the default build really runs vpmaddwd.

  check_int8_kernels.py --octetc BIN --work DIR
"""
import argparse
import os
import sys
import warnings

import numpy as np
import torch
from torch import nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_util import output  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
SHAPE = (5, 37)
SAMPLES = 8


def export(path):
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(37, 53), nn.ReLU(), nn.Linear(53, 29),
                          nn.ReLU(), nn.Linear(29, 16)).eval()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.randn(*SHAPE),), path,
                          opset_version=13, input_names=["x"])


def build(octetc, model, obj, flags):
    output([octetc, model, "-o", obj, "--name=m"] + flags)
    exe = obj + ".exe"
    output(["cc", "-std=c11", "-O1", "-DMODEL_HEADER=\"%s.h\"" % obj,
            "-DMODEL=m", os.path.join(HERE, "harness.c"), obj + ".o", "-o",
            exe])
    return exe


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--octetc", required=True)
    p.add_argument("--work", required=True)
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    stem = os.path.join(args.work, "int8_kernels")
    model = stem + ".onnx"
    export(model)
    rng = np.random.default_rng(0)
    np.save(stem + ".calibration.npy",
            rng.standard_normal((16,) + SHAPE, dtype=np.float32))
    quantize = ["--quantize=int8", "--calibration-data",
                stem + ".calibration.npy"]

    asm = output([args.octetc, model, "--emit=asm", "-o", "-"] + quantize)
    if "vpmaddwd" not in asm:
        print("the default x86 build does not use the vpmaddwd kernels")
        return 1
    fast = build(args.octetc, model, stem + "_x86", quantize)
    reference = build(args.octetc, model, stem + "_reference",
                      quantize + ["--int8-kernels=reference"])
    mismatches = 0
    for i in range(SAMPLES):
        # Wider than calibration on some samples, so outputs saturate too.
        x = rng.standard_normal(SHAPE, dtype=np.float32) * (1 + i)
        x.tofile(stem + ".in.bin")
        outs = []
        for exe in (fast, reference):
            output([exe, stem + ".in.bin", stem + ".out.bin"])
            outs.append(np.fromfile(stem + ".out.bin", dtype=np.uint32))
        mismatches += int(not np.array_equal(outs[0], outs[1]))
    print("int8 MLP (5x37 -> 53 -> 29 -> 16): x86 vpmaddwd kernels %s the "
          "reference kernels on %d inputs" %
          ("bit-identical to" if mismatches == 0 else "DIFFER from", SAMPLES))
    return 0 if mismatches == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
