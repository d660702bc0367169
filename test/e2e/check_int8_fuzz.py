#!/usr/bin/env python3
"""The x86 int8 kernels against the reference integer kernels and numpy,
on randomized integer layers: conv2d_integer (kernel sizes 1-7, strides
1-3, dilations 1-2, channel counts that are not multiples of 4, grouped
and depthwise convolutions, batches of 2, u8 and s8 activations),
matmul_integer by constant weights (odd M, N and K) and matmul_integer of
two inputs (attention's: batches of rank 0-2, u8 or s8 on either side,
scalar zero points or none), some returning int32 and some requantized to
8 bits with relu or clip (multipliers 1e-4..1, zero points != 0). Weights and inputs
are drawn to hit -128/127 and 0/255 often (or, for half the weights,
like trained ones: small with a few extremes), biases up to +-2^30 (so the sums
wrap). Every layer is one output of a single function, run by octet-run
with the x86 kernels for --cpu (1 and 2 threads) and with the reference
kernels: the outputs must be bit-identical, and the int32 ones equal
numpy's.

  check_int8_fuzz.py --octet-run BIN --work DIR --cpu CPU [--seed N]
                     [--k-block Q]

Exits 77 (skipped) when this machine cannot run CPU's kernels.
"""
import argparse
import os
import subprocess
import sys

import numpy as np
from onnx import numpy_helper

SKIP = 77


def host_flags():
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("flags"):
                return set(line.split(":")[1].split())
    return set()


def extreme(rng, shape, low, high):
    """Uniform values with a third of them at the bounds."""
    v = rng.integers(low, high + 1, shape)
    pick = rng.random(shape)
    v[pick < 0.17] = low
    v[pick > 0.83] = high
    return v


def conv_cases(rng, count):
    cases = []
    while len(cases) < count:
        kh, kw = rng.choice([1, 1, 2, 3, 3, 5, 7], 2)
        if rng.random() < 0.6:
            kw = kh
        sh, sw = rng.choice([1, 1, 2, 3], 2)
        dh, dw = rng.choice([1, 1, 2], 2)
        shape = rng.choice(["dense", "dense", "grouped", "depthwise"])
        if shape == "dense":
            groups, cg, fg = 1, int(rng.integers(1, 21)), \
                int(rng.integers(1, 19))
        elif shape == "grouped":
            groups, cg, fg = int(rng.choice([2, 3])), \
                4 * int(rng.integers(1, 4)), int(rng.integers(1, 9))
        else:  # one channel per group, depth multiplier 1 or 2
            groups, cg, fg = int(rng.integers(1, 21)), 1, \
                int(rng.choice([1, 1, 2]))
        h = int(rng.integers(dh * (kh - 1) + 1, dh * (kh - 1) + 17))
        w = int(rng.integers(dw * (kw - 1) + 1, dw * (kw - 1) + 30))
        cases.append(dict(kind="conv", n=int(rng.choice([1, 1, 2])),
                          c=cg * groups, f=fg * groups, groups=groups,
                          h=h, w=w, k=(int(kh), int(kw)),
                          s=(int(sh), int(sw)), d=(int(dh), int(dw)),
                          unsigned=bool(rng.random() < 0.75)))
    return cases


def gemm_cases(rng, count):
    return [dict(kind="gemm", m=int(rng.integers(1, 40)),
                 k=int(rng.integers(1, 300)), n=int(rng.integers(1, 80)),
                 unsigned=bool(rng.random() < 0.75)) for _ in range(count)]


def dynamic_cases(rng, count):
    cases = []
    for _ in range(count):
        batch = tuple(int(v) for v in rng.integers(1, 4, rng.integers(0, 3)))
        cases.append(dict(kind="dynamic", batch=batch,
                          m=int(rng.integers(1, 30)),
                          k=int(rng.integers(1, 140)),
                          n=int(rng.integers(1, 60)),
                          unsigned=bool(rng.random() < 0.6),
                          rhs_unsigned=bool(rng.random() < 0.6),
                          zero_points=[bool(v) for v in
                                       rng.random(2) < 0.75],
                          bias=bool(rng.random() < 0.3)))
    return cases


def conv_reference(x, w, b, s, d, groups):
    """Exact int32 (wrapping) NCHW convolution."""
    n, c, h, wd = x.shape
    f, cg, kh, kw = w.shape
    oh = (h - d[0] * (kh - 1) - 1) // s[0] + 1
    ow = (wd - d[1] * (kw - 1) - 1) // s[1] + 1
    fg = f // groups
    out = np.zeros((n, f, oh, ow), np.int64) + b.reshape(1, f, 1, 1)
    for g in range(groups):
        xs = x[:, g * cg:(g + 1) * cg].astype(np.int64)
        ws = w[g * fg:(g + 1) * fg].astype(np.int64)
        for i in range(kh):
            for j in range(kw):
                patch = xs[:, :, i * d[0]:i * d[0] + s[0] * (oh - 1) + 1:s[0],
                           j * d[1]:j * d[1] + s[1] * (ow - 1) + 1:s[1]]
                out[:, g * fg:(g + 1) * fg] += np.einsum(
                    "nchw,fc->nfhw", patch, ws[:, :, i, j])
    return out.astype(np.int32)  # wraps modulo 2^32


def tensor_type(shape, element):
    return "tensor<%s%s>" % ("".join("%dx" % d for d in shape), element)


def dense(array):
    return "dense<%s>" % np.array2string(
        array, separator=", ", threshold=sys.maxsize,
        max_line_width=sys.maxsize, floatmode="unique").replace("\n", "")


def requantized_tail(i, case, rng, body, results, expected, out_shape,
                     channel_shape, reduction):
    """The requantization octet-propagate-qdq writes after %y<i>."""
    ftype = tensor_type(out_shape, "f32")
    # Multipliers spanning 1e-4..1 of the one that maps a typical sum
    # (sqrt(reduction) * 13500) to 200.
    mult = (np.exp(rng.uniform(np.log(1e-4), 0, channel_shape)) * 200 /
            (np.sqrt(reduction) * 13500)).astype(np.float32)
    zp = int(rng.integers(0, 256))
    act = rng.choice(["none", "relu", "clip"])
    body.append("%%f%d = octet.cast %%y%d : %s to %s" % (
        i, i, tensor_type(out_shape, "i32"), ftype))
    body.append("%%m%d = octet.constant %s : %s" % (
        i, dense(mult), tensor_type(channel_shape, "f32")))
    body.append("%%p%d = octet.mul %%f%d, %%m%d : (%s, %s) -> %s" % (
        i, i, i, ftype, tensor_type(channel_shape, "f32"), ftype))
    last = "%%p%d" % i
    if act == "relu":
        body.append("%%a%d = octet.relu %s : %s" % (i, last, ftype))
        last = "%%a%d" % i
    elif act == "clip":
        body.append("%%a%d = octet.clip %s {min = -20.0 : f32, "
                    "max = 60.5 : f32} : %s" % (i, last, ftype))
        last = "%%a%d" % i
    qtype = tensor_type(out_shape, "!quant.uniform<u8:f32, 1.0:%d>" % zp)
    body.append("%%q%d = octet.quantize %s : %s -> %s" % (
        i, last, ftype, qtype))
    body.append("%%s%d = quant.scast %%q%d : %s to %s" % (
        i, i, qtype, tensor_type(out_shape, "i8")))
    results.append(("%%s%d" % i, tensor_type(out_shape, "i8")))
    expected.append(None)


def save_input(array, name, work, inputs):
    path = os.path.join(work, name + ".pb")
    with open(path, "wb") as f:
        f.write(numpy_helper.from_array(array, name).SerializeToString())
    inputs.append(path)


def dynamic_layer(case, i, rng, work, args, body, inputs, results, expected):
    """matmul_integer of two inputs, with scalar zero points; returns
    whether it is requantized (the caller adds that)."""
    batch, m, k, n = case["batch"], case["m"], case["k"], case["n"]
    operands = []
    for side, (shape, unsigned) in enumerate(
            [(batch + (m, k), case["unsigned"]),
             (batch + (k, n), case["rhs_unsigned"])]):
        element = "ui8" if unsigned else "i8"
        low, high = (0, 255) if unsigned else (-128, 127)
        v = extreme(rng, shape, low, high).astype(
            np.uint8 if unsigned else np.int8)
        name = "x%d_%d" % (i, side)
        save_input(v, name, work, inputs)
        args.append("%%%s: %s" % (name, tensor_type(shape, element)))
        zp = int(rng.integers(low, high + 1)) if case["zero_points"][side] \
            else None
        if zp is not None:
            body.append("%%z%d_%d = octet.constant dense<%d> : %s" % (
                i, side, zp, tensor_type((), element)))
        operands.append((name, shape, element, v, zp))
    (a, ashape, aelem, av, za), (b, bshape, belem, bv, zb) = operands
    requantize = rng.random() < 0.5
    limit = 2**14 if requantize else 2**30
    bias = rng.integers(-limit, limit, n).astype(np.int32)
    out_shape = batch + (m, n)
    ref = ((av.astype(np.int64) - (za or 0)) @ (bv.astype(np.int64) - (zb or 0))
           + (bias if case["bias"] else 0)).astype(np.int32)
    text = "%%y%d = octet.matmul_integer %%%s, %%%s" % (i, a, b)
    types = [tensor_type(ashape, aelem), tensor_type(bshape, belem)]
    if za is not None:
        text += " lhs_zp %%z%d_0" % i
        types.append(tensor_type((), aelem))
    if zb is not None:
        text += " rhs_zp %%z%d_1" % i
        types.append(tensor_type((), belem))
    if case["bias"]:
        body.append("%%b%d = octet.constant %s : %s" % (
            i, dense(bias), tensor_type((n,), "i32")))
        text += " bias %%b%d" % i
        types.append(tensor_type((n,), "i32"))
    body.append("%s : (%s) -> %s" % (text, ", ".join(types),
                                     tensor_type(out_shape, "i32")))
    case["out_shape"] = out_shape
    if not requantize:
        results.append(("%%y%d" % i, tensor_type(out_shape, "i32")))
        expected.append(ref)
    return requantize


def build(cases, rng, work):
    """The MLIR function, its input files and the expected int32 outputs
    (None for the requantized ones)."""
    args, body, results, inputs, expected = [], [], [], [], []
    for i, case in enumerate(cases):
        element = "ui8" if case["unsigned"] else "i8"
        low, high = (0, 255) if case["unsigned"] else (-128, 127)
        if case["kind"] == "dynamic":
            requantize = dynamic_layer(case, i, rng, work, args, body,
                                       inputs, results, expected)
            case["requantized"] = requantize
            if requantize:
                requantized_tail(i, case, rng, body, results, expected,
                                 case["out_shape"], (1,) * len(
                                     case["out_shape"]), case["k"])
            continue
        if case["kind"] == "conv":
            kh, kw = case["k"]
            xshape = (case["n"], case["c"], case["h"], case["w"])
            wshape = (case["f"], case["c"] // case["groups"], kh, kw)
            nf = case["f"]
        else:
            xshape = (case["m"], case["k"])
            wshape = (case["k"], case["n"])
            nf = case["n"]
        x = extreme(rng, xshape, low, high).astype(
            np.uint8 if case["unsigned"] else np.int8)
        if rng.random() < 0.5:
            wt = extreme(rng, wshape, -128, 127).astype(np.int8)
        else:
            # Like trained weights: mostly small, a few at the extremes (on
            # AVX2 most pairs are then provably exact for vpmaddubsw and a
            # few are split).
            wt = np.clip(np.rint(rng.normal(0, 25, wshape)), -128, 127)
            wt.flat[rng.integers(0, wt.size, max(1, wt.size // 50))] = \
                rng.choice([-128, 127], max(1, wt.size // 50))
            wt = wt.astype(np.int8)
        requantize = rng.random() < 0.5
        case["requantized"] = requantize
        # Sums that wrap for int32 outputs; moderate ones for requantized.
        limit = 2**14 if requantize else 2**30
        bias = rng.integers(-limit, limit, nf).astype(np.int32)
        path = os.path.join(work, "x%d.pb" % i)
        with open(path, "wb") as f:
            f.write(numpy_helper.from_array(x, "x%d" % i).SerializeToString())
        inputs.append(path)
        args.append("%%x%d: %s" % (i, tensor_type(xshape, element)))
        conv_input = "%%x%d" % i
        conv_shape = xshape
        if case["kind"] == "conv" and rng.random() < 0.4:
            # A constant spatial padding before the convolution (as
            # octet-propagate-qdq writes it), which the kernels fold into
            # their packing.
            t, l, b_, r = (int(v) for v in rng.integers(0, 3, 4))
            value = int(rng.integers(low, high + 1))
            conv_shape = (xshape[0], xshape[1], xshape[2] + t + b_,
                          xshape[3] + l + r)
            body.append("%%xp%d = octet.pad %%x%d {pads = array<i64: 0, 0, "
                        "%d, %d, 0, 0, %d, %d>, value = %d.0 : f32} : %s -> %s"
                        % (i, i, t, l, b_, r, value,
                           tensor_type(xshape, element),
                           tensor_type(conv_shape, element)))
            conv_input = "%%xp%d" % i
            x = np.pad(x, ((0, 0), (0, 0), (t, b_), (l, r)),
                       constant_values=value)
            case["pads"] = (t, l, b_, r, value)
        if case["kind"] == "conv":
            ref = conv_reference(x, wt, bias, case["s"], case["d"],
                                 case["groups"])
            attrs = "{group = %d : i64, strides = array<i64: %d, %d>, " \
                    "dilations = array<i64: %d, %d>}" % (
                        case["groups"], *case["s"], *case["d"])
            op = "octet.conv2d_integer"
            channel_shape = (1, nf, 1, 1)
        else:
            ref = (x.astype(np.int64) @ wt.astype(np.int64) +
                   bias).astype(np.int32)
            attrs = ""
            op = "octet.matmul_integer"
            channel_shape = (nf,)
        out_shape = ref.shape
        body.append("%%w%d = octet.constant %s : %s" % (
            i, dense(wt), tensor_type(wshape, "i8")))
        body.append("%%b%d = octet.constant %s : %s" % (
            i, dense(bias), tensor_type((nf,), "i32")))
        body.append("%%y%d = %s %s, %%w%d bias %%b%d %s : (%s, %s, %s) -> %s"
                    % (i, op, conv_input, i, i, attrs,
                       tensor_type(conv_shape, element),
                       tensor_type(wshape, "i8"), tensor_type((nf,), "i32"),
                       tensor_type(out_shape, "i32")))
        if not requantize:
            results.append(("%%y%d" % i, tensor_type(out_shape, "i32")))
            expected.append(ref)
            continue
        requantized_tail(i, case, rng, body, results, expected, out_shape,
                         channel_shape, np.prod(wshape) // nf)
    text = "func.func @main(%s) -> (%s) {\n  %s\n  return %s : %s\n}\n" % (
        ", ".join(args), ", ".join(t for _, t in results),
        "\n  ".join(body), ", ".join(v for v, _ in results),
        ", ".join(t for _, t in results))
    path = os.path.join(work, "fuzz.mlir")
    with open(path, "w") as f:
        f.write(text)
    return path, inputs, expected


def run(octet_run, model, inputs, outputs, out_dir, flags):
    subprocess.run([octet_run, model, "--output-dir", out_dir] +
                   ["--input=" + p for p in inputs] + flags, check=True,
                   stdout=subprocess.DEVNULL)
    return [np.load(os.path.join(out_dir, "output%d.npy" % i))
            for i in range(outputs)]


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--octet-run", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--cpu", required=True)
    p.add_argument("--require", default="",
                   help="host flags the CPU's kernels need (e.g. avx512_vnni)")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--convs", type=int, default=40)
    p.add_argument("--gemms", type=int, default=12)
    p.add_argument("--dynamic", type=int, default=12)
    p.add_argument("--k-block", type=int, default=0,
                   help="compile the fast kernels with GEMM K-blocking of "
                   "this many k-quads (--x86-int8-k-block)")
    args = p.parse_args()
    needed = [f for f in args.require.split(",") if f]
    flags = host_flags()
    if any(f not in flags for f in needed):
        print("SKIPPED: this machine lacks %s for --cpu=%s" % (
            ",".join(f for f in needed if f not in flags), args.cpu))
        return SKIP
    os.makedirs(args.work, exist_ok=True)
    rng = np.random.default_rng(args.seed)
    cases = conv_cases(rng, args.convs) + gemm_cases(rng, args.gemms) + \
        dynamic_cases(rng, args.dynamic)
    # Layers big enough (> 2^20 multiply-adds) to be split over threads.
    cases += [dict(kind="conv", n=1, c=64, f=36, groups=1, h=24, w=26,
                   k=(3, 3), s=(1, 1), d=(1, 1), unsigned=True),
              dict(kind="conv", n=1, c=24, f=40, groups=1, h=33, w=31,
                   k=(3, 3), s=(2, 2), d=(1, 1), unsigned=False),
              dict(kind="conv", n=1, c=40, f=40, groups=40, h=35, w=37,
                   k=(3, 3), s=(1, 1), d=(1, 1), unsigned=True),
              dict(kind="gemm", m=61, k=515, n=131, unsigned=True),
              dict(kind="dynamic", batch=(4,), m=67, k=64, n=70,
                   unsigned=True, rhs_unsigned=True,
                   zero_points=[True, True], bias=False)]
    model, inputs, expected = build(cases, rng, args.work)
    fast_flags = ["--cpu=" + args.cpu]
    if args.k_block:
        fast_flags.append("--x86-int8-k-block=%d" % args.k_block)
    fast = run(args.octet_run, model, inputs, len(cases),
               os.path.join(args.work, "fast"), fast_flags)
    threaded = run(args.octet_run, model, inputs, len(cases),
                   os.path.join(args.work, "threads"),
                   fast_flags + ["--threads=2"])
    reference = run(args.octet_run, model, inputs, len(cases),
                    os.path.join(args.work, "reference"),
                    ["--cpu=" + args.cpu, "--int8-kernels=reference"])
    failures = 0
    for i, case in enumerate(cases):
        ok = np.array_equal(fast[i], reference[i])
        ok &= np.array_equal(threaded[i], reference[i])
        if expected[i] is not None:
            ok &= np.array_equal(reference[i], expected[i])
            ok &= np.array_equal(fast[i], expected[i])
        if not ok:
            failures += 1
            print("MISMATCH layer %d: %s" % (i, case))
    requantized = sum(c["requantized"] for c in cases)
    print("int8 fuzz --cpu=%s%s seed %d: %d layers (%d requantized to 8 "
          "bits), 1 and 2 threads: %d mismatches against the reference "
          "kernels and numpy" % (
              args.cpu, " --x86-int8-k-block=%d" % args.k_block
              if args.k_block else "", args.seed, len(cases), requantized,
              failures))
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
