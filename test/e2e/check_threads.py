#!/usr/bin/env python3
"""--threads: the same model compiled with 1 and with N threads gives
bit-identical outputs (tiles are split between threads, never the sums
within a tile), matching torch; the one-thread object never references the
runtime's parallel-for, the threaded one does and links with the runtime
and pthreads. On AArch64 through the cross compiler and qemu.

  check_threads.py --octetc BIN --runtime-lib liboctet_runtime.a --work DIR
                   [--target aarch64] [--threads 2]
"""
import argparse
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import export_model  # noqa: E402
from e2e_util import output  # noqa: E402

HERE = os.path.dirname(os.path.abspath(__file__))
MODEL = "conv_wide"



def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--octetc", required=True)
    p.add_argument("--runtime-lib", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--target", default="x86_64", choices=["x86_64", "aarch64"])
    p.add_argument("--threads", type=int, default=2)
    args = p.parse_args()
    os.makedirs(args.work, exist_ok=True)
    stem = os.path.join(args.work, "%s_threads_%s" % (MODEL, args.target))
    model, inputs = export_model.export(MODEL, stem + ".onnx")
    with torch.no_grad():
        want = model(*inputs).numpy()
    in_file = stem + ".in0.bin"
    inputs[0].numpy().astype(np.float32).tofile(in_file)

    aarch64 = args.target == "aarch64"
    cc = "aarch64-linux-gnu-gcc" if aarch64 else "cc"
    nm = "aarch64-linux-gnu-nm" if aarch64 else "nm"
    outputs = {}
    for threads in (1, args.threads):
        obj = "%s_t%d" % (stem, threads)
        cmd = [args.octetc, stem + ".onnx", "-o", obj, "--name=m",
               "--threads=%d" % threads]
        if aarch64:
            cmd.append("--target=aarch64-linux-gnu")
        output(cmd)
        undefined = set(output([nm, "-u", obj + ".o"]).split()) - {"U"}
        uses_runtime = "octet_parallel_for" in undefined
        if uses_runtime != (threads > 1):
            print("threads=%d: the object %s octet_parallel_for" %
                  (threads, "references" if uses_runtime else "does not reference"))
            return 1
        extra = undefined - {"memcpy", "memset", "memmove", "octet_parallel_for"}
        if extra:
            print("threads=%d: the object needs %s" % (threads, ", ".join(sorted(extra))))
            return 1
        exe = obj + ".exe"
        link = [cc, "-std=c11", "-O1", "-DMODEL_HEADER=\"%s.h\"" % obj,
                "-DMODEL=m", os.path.join(HERE, "harness.c"), obj + ".o"]
        if threads > 1:
            link += [args.runtime_lib, "-lpthread"]
        link += ["-o", exe, "-static" if aarch64 else "-no-pie"]
        output(link)
        out_file = obj + ".out0.bin"
        output((["qemu-aarch64"] if aarch64 else []) + [exe, in_file, out_file])
        outputs[threads] = np.fromfile(out_file, dtype=np.float32).reshape(want.shape)

    same = np.array_equal(outputs[1], outputs[args.threads])
    err = np.abs(outputs[args.threads] - want).max()
    ok = same and err <= 1e-4 + 1e-4 * np.abs(want).max()
    print("%s [%s]: threads=%d %s threads=1; max abs error vs torch %.3g: %s"
          % (MODEL, args.target, args.threads,
             "bit-identical to" if same else "DIFFERS from", err,
             "ok" if ok else "MISMATCH"))
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
