#!/usr/bin/env python3
"""The graph optimizations change no result: one e2e model, exported with
its BatchNormalization nodes, run through octet-run at -O0 (as imported)
and at -O2 (batch norms folded, activations fused); outputs must agree
within 1e-5 relative. The optimized graph is also checked for what fusion
promises: no batch_norm, and no relu or clip applied to a conv's result.

  check_optimized.py --octetc BIN --octet-run BIN --model resnet_tiny --work DIR
"""
import argparse
import os
import re
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_model  # noqa: E402
from e2e_util import output  # noqa: E402



def check_fused(mlir):
    """Problems with the fused graph, as messages."""
    producers, problems = {}, []
    for line in mlir.splitlines():
        m = re.match(r"\s*(%\w+) = (octet\.\w+) (%\w+)?", line)
        if not m:
            continue
        result, op, operand = m.groups()
        producers[result] = op
        if op == "octet.batch_norm":
            problems.append("a batch_norm is left: " + line.strip())
        if op in ("octet.relu", "octet.clip") and \
                producers.get(operand) == "octet.conv2d":
            problems.append("an activation after a conv is left: " + line.strip())
    if "octet.conv2d" not in producers.values():
        problems.append("no conv2d at all")
    return problems


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--octetc", required=True)
    p.add_argument("--octet-run", required=True)
    p.add_argument("--model", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--rtol", type=float, default=1e-5)
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    stem = os.path.join(args.work, args.model + "_optimize")
    onnx_path = stem + ".onnx"
    model, inputs = export_model.export(args.model, onnx_path,
                                        keep_batch_norm=True)

    raw = output([args.octetc, "-O0", "--emit=mlir", onnx_path])
    if "octet.batch_norm" not in raw:
        print("%s: the export has no batch norm to fold" % args.model)
        return 1
    problems = check_fused(output([args.octetc, "-O2", "--emit=mlir", onnx_path]))
    for problem in problems:
        print("%s: %s" % (args.model, problem))

    input_files = []
    for i, t in enumerate(inputs):
        path = "%s.input%d.npy" % (stem, i)
        np.save(path, t.numpy())
        input_files += ["--input", path]
    outputs = {}
    for level in ("0", "2"):
        out_dir = "%s.O%s" % (stem, level)
        os.makedirs(out_dir, exist_ok=True)
        output([args.octet_run, "-O" + level, onnx_path, "--output-dir", out_dir]
            + input_files)
        outputs[level] = [np.load(os.path.join(out_dir, f))
                          for f in sorted(os.listdir(out_dir))]
    with torch.no_grad():
        want = model(*inputs).numpy()

    failed = bool(problems)
    for i, (o0, o2) in enumerate(zip(outputs["0"], outputs["2"])):
        # Relative to the output's scale, so values near zero do not
        # demand more than float32 can give.
        scale = max(np.abs(o0).max(), 1e-30)
        rel = np.abs(o2 - o0).max() / scale
        torch_rel = np.abs(o2 - want).max() / scale
        ok = rel <= args.rtol
        print("%s output %d: -O2 vs -O0 max rel error %.3g (limit %g), "
              "vs torch %.3g: %s" % (args.model, i, rel, args.rtol, torch_rel,
                                     "ok" if ok else "MISMATCH"))
        failed |= not ok
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
