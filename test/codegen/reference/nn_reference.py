#!/usr/bin/env python3
"""Checks the numeric run-*.mlir tests against plain numpy references.

Usage: nn_reference.py TEST.mlir OUTPUT.txt

TEST.mlir defines its inputs as `%name = arith.constant dense<...>` and marks
each printed result with a `// CASE: name` comment, in print order. OUTPUT.txt
is what `mlir-runner` printed (one `printMemrefF32` per case). Each case's
expected value is computed below in float64 from the ONNX operator
definitions, written directly (loops over output positions, no shared code
with Octet), and compared with

    |got - expected| <= ATOL + RTOL * |expected|.

Tolerance: printMemrefF32 prints 6 significant digits (relative rounding
error <= 5e-6) and Octet computes in float32 (relative error ~1e-7 per
operation on these short reductions of O(1) values), so RTOL = ATOL = 1e-5
leaves a margin of 2x over the print rounding while catching any wrong
element (the inputs are O(1), so a wrong term is off by >= 1e-3).
"""

import ast
import math
import re
import sys

import numpy as np

RTOL = 1e-5
ATOL = 1e-5

# --- Reference operators (ONNX semantics) -----------------------------------


def act(y, kind=None, alpha=0.0, beta=0.0):
    if kind is None:
        return y
    if kind == "relu":
        return np.maximum(y, 0.0)
    if kind == "leaky_relu":
        return np.where(y < 0, alpha * y, y)
    if kind == "clip":
        return np.minimum(np.maximum(y, alpha), beta)
    raise ValueError(kind)


def conv2d(x, w, b=None, strides=(1, 1), dilations=(1, 1), pads=(0, 0, 0, 0),
           group=1, activation=None, alpha=0.0):
    """ONNX Conv: y[n, f, i, j] = sum over the group's channels and kernel
    offsets of x at (i*s - pad_top + a*d, j*s - pad_left + b*d), where
    positions outside the input read 0."""
    n, c, h, wd = x.shape
    o, cg, kh, kw = w.shape
    oh = (h + pads[0] + pads[2] - dilations[0] * (kh - 1) - 1) // strides[0] + 1
    ow = (wd + pads[1] + pads[3] - dilations[1] * (kw - 1) - 1) // strides[1] + 1
    y = np.zeros((n, o, oh, ow))
    per_group = o // group
    for f in range(o):
        g = f // per_group
        for i in range(oh):
            for j in range(ow):
                acc = np.zeros(n)
                for ch in range(cg):
                    for a in range(kh):
                        for bb in range(kw):
                            r = i * strides[0] - pads[0] + a * dilations[0]
                            s = j * strides[1] - pads[1] + bb * dilations[1]
                            if 0 <= r < h and 0 <= s < wd:
                                acc += x[:, g * cg + ch, r, s] * w[f, ch, a, bb]
                y[:, f, i, j] = acc
    if b is not None:
        y += b.reshape(1, o, 1, 1)
    return act(y, activation, alpha)


def pool_out_size(size, k, s, d, pad_begin, pad_end, ceil_mode):
    span = d * (k - 1) + 1
    if ceil_mode:
        out = math.ceil((size + pad_begin + pad_end - span) / s) + 1
        # A window may not start inside the end padding.
        if (out - 1) * s >= size + pad_begin:
            out -= 1
    else:
        out = (size + pad_begin + pad_end - span) // s + 1
    return out


def pool2d(x, kind, kernel, strides=(1, 1), pads=(0, 0, 0, 0), dilations=(1, 1),
           ceil_mode=False, count_include_pad=False):
    """ONNX MaxPool / AveragePool. Window position (r, s) of output (i, j)
    is (i*stride - pad_top + a*dil, ...). Max takes the largest input
    element in the window. Average divides the sum of the input elements by
    the number of window positions inside the input or, with
    count_include_pad, inside the padded input [-pad_begin, size+pad_end);
    positions beyond the end padding (ceil mode) never count."""
    n, c, h, w = x.shape
    oh = pool_out_size(h, kernel[0], strides[0], dilations[0], pads[0], pads[2],
                       ceil_mode)
    ow = pool_out_size(w, kernel[1], strides[1], dilations[1], pads[1], pads[3],
                       ceil_mode)
    y = np.zeros((n, c, oh, ow))
    for i in range(oh):
        for j in range(ow):
            values, count = [], 0
            for a in range(kernel[0]):
                for b in range(kernel[1]):
                    r = i * strides[0] - pads[0] + a * dilations[0]
                    s = j * strides[1] - pads[1] + b * dilations[1]
                    inside = 0 <= r < h and 0 <= s < w
                    in_padded = -pads[0] <= r < h + pads[2] and \
                        -pads[1] <= s < w + pads[3]
                    if inside:
                        values.append(x[:, :, r, s])
                    if inside or (count_include_pad and in_padded):
                        count += 1
            if kind == "max":
                y[:, :, i, j] = np.max(values, axis=0)
            else:
                y[:, :, i, j] = np.sum(values, axis=0) / count
    return y


def gemm(a, b, c=None, alpha=1.0, beta=1.0, trans_a=False, trans_b=False,
         activation=None, lo=0.0, hi=0.0):
    a = a.T if trans_a else a
    b = b.T if trans_b else b
    y = alpha * (a @ b)
    if c is not None:
        y = y + beta * c
    return act(y, activation, lo, hi)


def batch_norm(x, scale, bias, mean, var, eps=1e-5):
    shape = [1, x.shape[1]] + [1] * (x.ndim - 2)
    p = [v.reshape(shape) for v in (scale, bias, mean, var)]
    return p[0] * (x - p[2]) / np.sqrt(p[3] + eps) + p[1]


def reduce(x, fn, axes=None, keepdims=True):
    axes = tuple(range(x.ndim)) if axes is None else tuple(axes)
    return fn(x, axis=axes, keepdims=keepdims)


def softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def log_softmax(x, axis):
    shifted = x - x.max(axis=axis, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=axis, keepdims=True))


def layer_norm(x, scale, bias=None, axis=-1, eps=1e-5):
    axes = tuple(range(axis, x.ndim))
    mean = x.mean(axis=axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axis=axes, keepdims=True)
    y = (x - mean) / np.sqrt(var + eps) * scale
    return y if bias is None else y + bias


# --- Cases: name -> expected value from the constants `c` --------------------

CASES = {
    # run-nn-conv.mlir
    "conv_plain": lambda c: conv2d(c["x1"], c["w1"]),
    "conv_stride_pad": lambda c: conv2d(c["x2"], c["w2"], strides=(2, 2),
                                        pads=(1, 0, 2, 1)),
    "conv_dilated": lambda c: conv2d(c["x3"], c["w3"], dilations=(2, 1),
                                     pads=(0, 1, 0, 1)),
    "conv_depthwise_bias": lambda c: conv2d(c["x4"], c["w4"], c["b4"], group=3,
                                            pads=(1, 1, 1, 1), strides=(1, 2)),
    "conv_grouped_bias_relu": lambda c: conv2d(c["x5"], c["w5"], c["b5"],
                                               group=2, activation="relu"),
    "conv_bias_relu": lambda c: conv2d(c["x6"], c["w6"], c["b6"],
                                       pads=(1, 1, 1, 1), strides=(2, 2),
                                       activation="relu"),
    "conv_leaky_relu": lambda c: conv2d(c["x6"], c["w6"],
                                        activation="leaky_relu", alpha=0.1),
    "conv_depthwise_multiplier": lambda c: conv2d(c["x7"], c["w7"], group=2,
                                                  pads=(1, 1, 1, 1)),
    # run-nn-matmul.mlir
    "matmul_2d": lambda c: np.matmul(c["a1"], c["b1"]),
    "matmul_batch_broadcast": lambda c: np.matmul(c["a2"], c["b2"]),
    "matmul_batch_shared_rhs": lambda c: np.matmul(c["a3"], c["b3"]),
    "matmul_shared_lhs": lambda c: np.matmul(c["a4"], c["b4"]),
    "matmul_vec_mat": lambda c: np.matmul(c["v5"], c["b5"]),
    "matmul_mat_vec": lambda c: np.matmul(c["a6"], c["v5"]),
    "matmul_vec_vec": lambda c: np.matmul(c["v5"], c["v7"]),
    "matmul_vec_batch": lambda c: np.matmul(c["v5"], c["b4"]),
    "gemm_plain": lambda c: gemm(c["ga"], c["gb"]),
    "gemm_trans_alpha_beta_cvec": lambda c: gemm(
        c["gat"], c["gbt"], c["gcv"], alpha=0.5, beta=2.0, trans_a=True,
        trans_b=True),
    "gemm_transb_ccol_relu": lambda c: gemm(c["ga"], c["gbt"], c["gccol"],
                                            trans_b=True, activation="relu"),
    "gemm_transa_cfull_beta": lambda c: gemm(c["gat"], c["gb"], c["gcfull"],
                                             trans_a=True, beta=-1.5),
    "gemm_alpha_cscalar_clip": lambda c: gemm(c["ga"], c["gb"], c["gcs"],
                                              alpha=2.0, activation="clip",
                                              lo=-0.5, hi=0.5),
    # run-nn-pool.mlir
    "max_pool_2x2": lambda c: pool2d(c["p1"], "max", (2, 2), (2, 2)),
    "max_pool_pads_negative": lambda c: pool2d(c["p2"], "max", (3, 3), (2, 2),
                                               (1, 1, 1, 1)),
    "max_pool_ceil": lambda c: pool2d(c["p3"], "max", (2, 2), (2, 2),
                                      ceil_mode=True),
    "max_pool_dilated": lambda c: pool2d(c["p3"], "max", (2, 2),
                                         dilations=(2, 2)),
    "max_pool_ceil_pads": lambda c: pool2d(c["p2"], "max", (3, 3), (2, 2),
                                           (1, 1, 0, 0), ceil_mode=True),
    "avg_pool_2x2": lambda c: pool2d(c["p1"], "avg", (2, 2), (2, 2)),
    "avg_pool_pads_exclude": lambda c: pool2d(c["p3"], "avg", (3, 3), (2, 2),
                                              (1, 1, 1, 1)),
    "avg_pool_pads_include": lambda c: pool2d(c["p3"], "avg", (3, 3), (2, 2),
                                              (1, 1, 1, 1),
                                              count_include_pad=True),
    "avg_pool_ceil_exclude": lambda c: pool2d(c["p3"], "avg", (3, 3), (2, 2),
                                              (1, 1, 0, 0), ceil_mode=True),
    "avg_pool_ceil_include": lambda c: pool2d(c["p3"], "avg", (3, 3), (2, 2),
                                              (1, 1, 0, 0), ceil_mode=True,
                                              count_include_pad=True),
    "avg_pool_ceil_asym_include": lambda c: pool2d(
        c["p4"], "avg", (2, 3), (2, 2), (1, 1, 1, 0), ceil_mode=True,
        count_include_pad=True),
    "avg_pool_ceil_asym_exclude": lambda c: pool2d(
        c["p4"], "avg", (2, 3), (2, 2), (1, 1, 1, 0), ceil_mode=True),
    "global_avg_pool": lambda c: c["g1"].mean(axis=(2, 3), keepdims=True),
    "global_avg_pool_3d": lambda c: c["g2"].mean(axis=(2, 3, 4), keepdims=True),
    "batch_norm": lambda c: batch_norm(c["bx"], c["bs"], c["bb"], c["bm"],
                                       c["bv"], eps=1e-3),
    "batch_norm_rank2": lambda c: batch_norm(c["bx2"], c["bs"], c["bb"],
                                             c["bm"], c["bv"]),
    # run-reduction.mlir
    "reduce_sum_axis1_keep": lambda c: reduce(c["x"], np.sum, [1]),
    "reduce_sum_axes02_drop": lambda c: reduce(c["x"], np.sum, [0, 2], False),
    "reduce_mean_axis2_drop": lambda c: reduce(c["x"], np.mean, [2], False),
    "reduce_mean_all_keep": lambda c: reduce(c["x"], np.mean),
    "reduce_max_axes01_keep": lambda c: reduce(c["x"], np.max, [0, 1]),
    "reduce_max_all_drop": lambda c: reduce(c["x"], np.max, None, False),
    "reduce_mean_axes12_keep": lambda c: reduce(c["x"], np.mean, [1, 2]),
    "softmax_axis2": lambda c: softmax(c["x"], 2),
    "softmax_axis1": lambda c: softmax(c["x"], 1),
    "softmax_axis0": lambda c: softmax(c["x"], 0),
    "log_softmax_axis2": lambda c: log_softmax(c["x"], 2),
    "log_softmax_axis1": lambda c: log_softmax(c["x"], 1),
    "softmax_large": lambda c: softmax(c["big"], 1),
    "log_softmax_large": lambda c: log_softmax(c["big"], 1),
    "layer_norm_axis2_bias": lambda c: layer_norm(c["x"], c["g4"], c["b4"], 2),
    "layer_norm_axis1_eps": lambda c: layer_norm(c["x"], c["g34"], None, 1,
                                                 eps=0.1),
    "layer_norm_axis0": lambda c: layer_norm(c["x"], c["g234"], c["g234"], 0),
}

# --- Reading the test and the runner's output --------------------------------

CONSTANT = re.compile(
    r"%(\w+)\s*=\s*arith\.constant\s+dense<(.*?)>\s*:\s*tensor<([^>]*)>",
    re.S)
NUMBER = re.compile(r"-?(?:nan|inf|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)")


def read_constants(text):
    constants = {}
    for name, body, type_ in CONSTANT.findall(text):
        shape = [int(d) for d in type_.split("x")[:-1]]
        value = ast.literal_eval(body.strip())
        # Inputs are float32 in the test; compute on exactly those values.
        array = np.array(value, dtype=np.float32).astype(np.float64)
        constants[name] = np.broadcast_to(array, shape).copy()
    return constants


def read_outputs(text):
    """Each printMemrefF32 is `Unranked Memref ... sizes = [..] ... data = `
    followed by the nested values."""
    outputs = []
    for chunk in text.split("Unranked Memref")[1:]:
        sizes = re.search(r"sizes = \[([^\]]*)\]", chunk).group(1)
        shape = [int(s) for s in sizes.split(",") if s.strip()]
        data = chunk.split("data =", 1)[1]
        values = [float(v) for v in NUMBER.findall(data)]
        outputs.append(np.array(values).reshape(shape))
    return outputs


def main():
    test, output = sys.argv[1], sys.argv[2]
    text = open(test).read()
    constants = read_constants(text)
    cases = re.findall(r"^\s*//\s*CASE:\s*(\w+)", text, re.M)
    outputs = read_outputs(open(output).read())
    if len(outputs) != len(cases):
        print(f"expected {len(cases)} printed results, got {len(outputs)}")
        return 1
    failed = 0
    for name, got in zip(cases, outputs):
        expected = np.asarray(CASES[name](constants), dtype=np.float64)
        if got.shape != expected.shape:
            print(f"FAIL {name}: shape {list(got.shape)}, "
                  f"expected {list(expected.shape)}")
            failed += 1
            continue
        err = np.abs(got - expected)
        ok = bool(np.all(err <= ATOL + RTOL * np.abs(expected)))
        print(f"{'PASS' if ok else 'FAIL'} {name}: max abs error "
              f"{err.max() if err.size else 0.0:.3g}")
        if not ok:
            print("  got:\n", got, "\n  expected:\n", expected)
            failed += 1
    print(f"{len(cases) - failed} of {len(cases)} cases match")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
