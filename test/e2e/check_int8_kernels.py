#!/usr/bin/env python3
"""The x86 int8 kernels (octet-x86-int8-kernels) against the portable
reference kernels, on statically quantized models with awkward shapes,
compiled both ways: bit-identical outputs on random inputs (some beyond
the calibration range, so outputs saturate), and the default build really
runs vpmaddwd.
- an MLP: 5 rows (a 4-row tile and a 1-row rest), K = 37 (odd), N = 53 and
  29 (not multiples of the 16-column panels);
- a CNN of 1x1 convolutions around a padded 3x3 one: 13 and 21 channels
  (odd: a last single channel), 21 and 6 filters (a 4-filter tile and a
  rest), 5x7 = 35 pixels (not a multiple of 16);
- single-head attention over 9 tokens: softmax(q·kᵀ)·v, whose two
  matmuls multiply activations by activations (the kernels that pack at
  run time, with both zero points).

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
SAMPLES = 8


def models():
    """(name, torch module, input shape)."""
    torch.manual_seed(0)
    mlp = nn.Sequential(nn.Linear(37, 53), nn.ReLU(), nn.Linear(53, 29),
                        nn.ReLU(), nn.Linear(29, 16))
    cnn = nn.Sequential(nn.Conv2d(13, 21, 1), nn.ReLU(),
                        nn.Conv2d(21, 21, 3, padding=1), nn.ReLU(),
                        nn.Conv2d(21, 6, 1))
    return [("mlp", mlp.eval(), (5, 37)), ("cnn", cnn.eval(), (1, 13, 5, 7)),
            ("attention", Attention().eval(), (9, 24))]


class Attention(nn.Module):
    def __init__(self):
        super().__init__()
        self.q, self.k, self.v = (nn.Linear(24, 16) for _ in range(3))

    def forward(self, x):
        scores = self.q(x) @ self.k(x).transpose(-1, -2)
        return torch.softmax(scores, -1) @ self.v(x)


def export(model, shape, path):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(model, (torch.randn(*shape),), path,
                          opset_version=13, input_names=["x"])


def build(octetc, model, obj, flags):
    output([octetc, model, "-o", obj, "--name=m"] + flags)
    exe = obj + ".exe"
    output(["cc", "-std=c11", "-O1", "-DMODEL_HEADER=\"%s.h\"" % obj,
            "-DMODEL=m", os.path.join(HERE, "harness.c"), obj + ".o", "-o",
            exe])
    return exe


def check(octetc, name, model, shape, stem):
    """Compiles `model` both ways; returns whether they agree bit for bit."""
    onnx_path = stem + ".onnx"
    export(model, shape, onnx_path)
    rng = np.random.default_rng(0)
    np.save(stem + ".calibration.npy",
            rng.standard_normal((16,) + shape, dtype=np.float32))
    quantize = ["--quantize=int8", "--calibration-data",
                stem + ".calibration.npy"]
    asm = output([octetc, onnx_path, "--emit=asm", "-o", "-"] + quantize)
    if "vpmaddwd" not in asm:
        print("%s: the default x86 build does not use the vpmaddwd kernels" %
              name)
        return False
    fast = build(octetc, onnx_path, stem + "_x86", quantize)
    reference = build(octetc, onnx_path, stem + "_reference",
                      quantize + ["--int8-kernels=reference"])
    mismatches = 0
    for i in range(SAMPLES):
        x = rng.standard_normal(shape, dtype=np.float32) * (1 + i)
        x.tofile(stem + ".in.bin")
        outs = []
        for exe in (fast, reference):
            output([exe, stem + ".in.bin", stem + ".out.bin"])
            outs.append(np.fromfile(stem + ".out.bin", dtype=np.uint32))
        mismatches += int(not np.array_equal(outs[0], outs[1]))
    print("int8 %s %s: x86 vpmaddwd kernels %s the reference kernels on %d "
          "inputs" % (name, "x".join(map(str, shape)),
                      "bit-identical to" if mismatches == 0 else "DIFFER from",
                      SAMPLES))
    return mismatches == 0


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--octetc", required=True)
    p.add_argument("--work", required=True)
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    ok = True
    for name, model, shape in models():
        stem = os.path.join(args.work, "int8_kernels_" + name)
        ok &= check(args.octetc, name, model, shape, stem)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
