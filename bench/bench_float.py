#!/usr/bin/env python3
"""Float benchmark: Octet (octetc, 1 thread) vs onnxruntime (1 thread) on the
same ONNX models, side by side in one run.

Models: the e2e test models, the bundled digits CNN, and single layers with
ResNet-18 and MobileNetV2 shapes. For each: median ms over repeated runs
(10th-90th percentile spread), GFLOP/s, and the ratio Octet/ORT (lower is
better for Octet). Timings on a shared 2-core machine are noisy; compare
ratios within one run. Not a test: nothing here passes or fails.

  bash bench/setup_venv.sh
  bench/.venv/bin/python bench/bench_float.py --octetc build/bin/octetc
"""
import argparse
import os
import subprocess
import sys
import tempfile
import time

import numpy as np
import torch
import torch.nn as nn

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "test", "e2e"))
sys.path.insert(0, HERE)
import full_models  # noqa: E402
import models  # noqa: E402


def conv_layer(cin, cout, k, stride, hw, groups=1):
    m = nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2, groups=groups)
    flops = 2 * cout * (cin // groups) * k * k * (hw // stride) ** 2
    return m.eval(), [(1, cin, hw, hw)], flops


class Softmax(nn.Module):
    def forward(self, x):
        return torch.softmax(x, dim=-1)


def linear_layer(tokens, cin, cout):
    return nn.Linear(cin, cout).eval(), [(tokens, cin)], 2 * tokens * cin * cout


LAYERS = {
    # name: (module, input shapes, FLOPs or None)
    "resnet18.conv1 7x7/2 3->64 @224": conv_layer(3, 64, 7, 2, 224),
    "resnet18.layer1 3x3 64->64 @56": conv_layer(64, 64, 3, 1, 56),
    "resnet18.layer3 3x3 256->256 @14": conv_layer(256, 256, 3, 1, 14),
    "mobilenetv2 pw 1x1 32->192 @56": conv_layer(32, 192, 1, 1, 56),
    "mobilenetv2 dw 3x3 144 @56": conv_layer(144, 144, 3, 1, 56, groups=144),
    "mobilenetv2 dw 3x3/2 96 @112": conv_layer(96, 96, 3, 2, 112, groups=96),
    "bert ffn gemm 128x768 -> 3072": linear_layer(128, 768, 3072),
    "bert softmax 12x128x128": (Softmax().eval(), [(1, 12, 128, 128)], None),
    "bert layernorm 128x768": (nn.LayerNorm(768).eval(), [(1, 128, 768)], None),
}


def export(module, shapes, path):
    torch.manual_seed(0)
    inputs = tuple(torch.randn(*s) for s in shapes)
    torch.onnx.export(module, inputs, path, opset_version=13)


def time_octet(octetc, onnx_path, work, runs, cpu, threads, runtime_lib):
    stem = os.path.join(work, "m")
    subprocess.run([octetc, onnx_path, "-o", stem, "--name=m", "--cpu=" + cpu,
                    "--threads=%d" % threads],
                   check=True, capture_output=True)
    exe = stem + ".timer"
    extra = [runtime_lib, "-lpthread"] if threads > 1 else []
    subprocess.run(["cc", "-O2", "-DMODEL_HEADER=\"%s.h\"" % stem, "-DMODEL=m",
                    os.path.join(HERE, "timer.c"), stem + ".o"] + extra +
                   ["-o", exe], check=True)
    med, lo, hi = map(float, subprocess.run([exe, str(runs)], check=True,
                                            capture_output=True,
                                            text=True).stdout.split())
    return med, lo, hi


def time_ort(onnx_path, shapes, runs, threads):
    import onnxruntime as ort
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = threads
    opts.inter_op_num_threads = 1
    sess = ort.InferenceSession(onnx_path, opts, providers=["CPUExecutionProvider"])
    feeds = {i.name: np.zeros(s, np.float32)
             for i, s in zip(sess.get_inputs(), shapes)}
    sess.run(None, feeds)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        sess.run(None, feeds)
        times.append(time.perf_counter() - start)
    times.sort()
    return (times[runs // 2] * 1e3, times[runs // 10] * 1e3,
            times[runs - 1 - runs // 10] * 1e3)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--octetc", required=True)
    p.add_argument("--runs", type=int, default=30)
    p.add_argument("--cpu", default="native",
                   help="octetc --cpu: native (as onnxruntime, which picks its "
                        "kernels for this CPU at run time) or x86-64-v3 (AVX2)")
    p.add_argument("--threads", type=int, default=1,
                   help="threads for both (octetc --threads, ORT intra-op)")
    p.add_argument("--runtime-lib",
                   default=os.path.join(HERE, "..", "build", "runtime",
                                        "liboctet_runtime.a"))
    p.add_argument("--skip-full", action="store_true",
                   help="leave out the whole ResNet-18 and MobileNetV2")
    args = p.parse_args()
    cases = []
    for name in ["mlp", "resnet_tiny", "mobile_tiny", "gru", "lstm"]:
        module, inputs = models.build(name)
        cases.append(("e2e " + name, module, [tuple(t.shape) for t in inputs], None))
    cases.append(("digits cnn", None, [(1, 1, 8, 8)], None))
    for name, (module, shapes, flops) in LAYERS.items():
        cases.append((name, module, shapes, flops))
    if not args.skip_full:
        for name, (factory, shape, gflop) in full_models.FULL_MODELS.items():
            torch.manual_seed(0)
            cases.append((name, factory().eval(), [shape], gflop * 1e9))

    rows = []
    with tempfile.TemporaryDirectory() as work:
        for name, module, shapes, flops in cases:
            path = os.path.join(work, "model.onnx")
            if module is None:
                path = os.path.join(HERE, "..", "examples", "digits", "digits_cnn.onnx")
            else:
                export(module, shapes, path)
            octet = time_octet(args.octetc, path, work, args.runs, args.cpu,
                               args.threads, args.runtime_lib)
            ortt = time_ort(path, shapes, args.runs, args.threads)
            gflops = "%.2f" % (flops / octet[0] / 1e6) if flops else "-"
            rows.append((name, octet, ortt, gflops))
            print("%-36s octet %9.3f ms [%.3f-%.3f]  ort %9.3f ms [%.3f-%.3f]  "
                  "ratio %6.2f  octet GFLOP/s %s"
                  % (name, *octet, *ortt, octet[0] / ortt[0], gflops), flush=True)
    ratios = sorted(o[0] / r[0] for _, o, r, _ in rows)
    print("median ratio octet/ort: %.2f (target of the codegen issue: <= 1.5)"
          % ratios[len(ratios) // 2])


if __name__ == "__main__":
    main()
