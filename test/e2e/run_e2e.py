#!/usr/bin/env python3
"""End-to-end check of one model: torch -> ONNX -> octetc -> .o + .h -> C
harness -> outputs compared with torch.

  run_e2e.py --octetc BIN --model mlp --work DIR [--target aarch64]

With --target aarch64 the object is compiled for aarch64-linux-gnu, linked
with aarch64-linux-gnu-gcc and run under qemu-aarch64. Tolerances: outputs
are float32 computed in a different order than torch, so we allow 1e-4
absolute plus 1e-4 relative (exp/erf/tanh use polynomial approximations
accurate to a few ulp)."""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import models  # noqa: E402
from e2e_util import run  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))



def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--octetc", required=True)
    p.add_argument("--model", required=True, choices=sorted(models.MODELS))
    p.add_argument("--work", required=True)
    p.add_argument("--target", default="x86_64", choices=["x86_64", "aarch64"])
    p.add_argument("--atol", type=float, default=1e-4)
    p.add_argument("--rtol", type=float, default=1e-4)
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    stem = os.path.join(args.work, "%s_%s" % (args.model, args.target))

    model, inputs = models.build(args.model)
    with torch.no_grad():
        expected = model(*inputs)
    expected = [expected] if isinstance(expected, torch.Tensor) else list(expected)
    onnx_path = stem + ".onnx"
    torch.onnx.export(model, tuple(inputs), onnx_path, opset_version=13,
                      input_names=["input%d" % i for i in range(len(inputs))],
                      output_names=["output%d" % i for i in range(len(expected))])

    name = args.model
    cmd = [args.octetc, onnx_path, "-o", stem, "--name=" + name]
    if args.target == "aarch64":
        cmd += ["--target=aarch64-linux-gnu"]
    run(cmd)

    # The object may need nothing from libc but memcpy/memset (no malloc,
    # no libm).
    nm = "aarch64-linux-gnu-nm" if args.target == "aarch64" else "nm"
    undefined = set(run([nm, "-u", stem + ".o"]).stdout.split()) - {"U"}
    extra = undefined - {"memcpy", "memset", "memmove"}
    if extra:
        print("%s: the object needs %s" % (args.model, ", ".join(sorted(extra))))
        return 1

    exe = stem + ".exe"
    cc = "aarch64-linux-gnu-gcc" if args.target == "aarch64" else "cc"
    run([cc, "-std=c11", "-O1", "-DMODEL_HEADER=\"%s.h\"" % stem,
         "-DMODEL=" + name, os.path.join(HERE, "harness.c"), stem + ".o",
         "-o", exe, "-static" if args.target == "aarch64" else "-no-pie"])

    in_files, out_files = [], []
    for i, t in enumerate(inputs):
        path = "%s.in%d.bin" % (stem, i)
        t.numpy().astype(np.float32).tofile(path)
        in_files.append(path)
    for i in range(len(expected)):
        out_files.append("%s.out%d.bin" % (stem, i))
    prefix = ["qemu-aarch64"] if args.target == "aarch64" else []
    run(prefix + [exe] + in_files + out_files)

    failed = False
    for i, (path, want) in enumerate(zip(out_files, expected)):
        want = want.numpy().astype(np.float32)
        got = np.fromfile(path, dtype=np.float32).reshape(want.shape)
        err = np.abs(got - want)
        ok = np.all(err <= args.atol + args.rtol * np.abs(want))
        print("%s [%s] output %d: max abs error %.3g, max rel error %.3g: %s"
              % (args.model, args.target, i, err.max(),
                 (err / np.maximum(np.abs(want), 1e-12)).max(),
                 "ok" if ok else "MISMATCH"))
        failed |= not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
