#!/usr/bin/env python3
"""--quantize=int8-dynamic on an e2e model: its fully connected layers
become matmul_integer with run-time activation scales, its GRU/LSTM layers
get int8 weights (their products run on integers with run-time scales),
and the outputs stay close to the float model's (through octet-run;
quantization error only).

  check_dynamic.py --octetc BIN --octet-run BIN --model mlp --work DIR
"""
import argparse
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_model  # noqa: E402
from e2e_util import output  # noqa: E402



def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--octetc", required=True)
    p.add_argument("--octet-run", required=True)
    p.add_argument("--model", default="mlp")
    p.add_argument("--work", required=True)
    p.add_argument("--atol", type=float, default=0.02)
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    stem = os.path.join(args.work, args.model + "_dynamic")
    _, inputs = export_model.export(args.model, stem + ".onnx")
    mlir = output([args.octetc, stem + ".onnx", "--emit=mlir",
                "--quantize=int8-dynamic"])
    recurrent = [line for line in mlir.splitlines()
                 if "octet.gru" in line or "octet.lstm" in line]
    if any("!quant.uniform<i8" not in line for line in recurrent):
        print("%s: expected every GRU/LSTM to get int8 weights" % args.model)
        return 1
    layers = mlir.count("octet.matmul_integer") + len(recurrent)
    if layers == 0 or "octet.gemm" in mlir:
        print("%s: expected every gemm to become matmul_integer" % args.model)
        return 1
    flags = []
    for i, t in enumerate(inputs):
        path = "%s.input%d.npy" % (stem, i)
        np.save(path, t.numpy())
        flags += ["--input", path]
    outs = {}
    for mode in ("none", "int8-dynamic"):
        out_dir = "%s.%s" % (stem, mode)
        os.makedirs(out_dir, exist_ok=True)
        output([args.octet_run, stem + ".onnx", "--quantize=" + mode,
             "--output-dir", out_dir] + flags)
        outs[mode] = [np.load(os.path.join(out_dir, f))
                      for f in sorted(os.listdir(out_dir))]
    failed = False
    for i, (f, q) in enumerate(zip(outs["none"], outs["int8-dynamic"])):
        err = np.abs(f - q).max()
        ok = err <= args.atol
        print("%s output %d: %d integer layers, max abs difference from float "
              "%.3g (limit %g): %s" % (args.model, i, layers, err, args.atol,
                                       "ok" if ok else "MISMATCH"))
        failed |= not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
