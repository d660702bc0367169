#!/usr/bin/env python3
"""The digits CNN quantized to int8 by octetc gives, on all 360 held-out
digits, logits bit-identical to a separate numpy emulation of the quantized
graph.

The emulation is independent of Octet's output: it reads only the float
ONNX model and the calibration statistics octetc saved (--save-stats), and
derives every scale, zero point, int8 weight and int32 bias itself, as
docs/quantization.md specifies (ONNX semantics):

- activations (u8, asymmetric, minmax): the observed range widened to hold
  0, s = (hi - lo) / 255, z = round_half_even(-lo / s), in double;
- weights of conv/gemm: symmetric per output channel, s_c = max|w_c| / 127,
  q = round_half_even(w / s_c) in [-127, 127]; biases int32,
  round_half_even(b / (s_x * s_w[c])), in double;
- quantize: saturate(round_half_even(x / s) + z), the division in f32 by the
  scale rounded to f32; dequantize: f32(q - z) * s in f32;
- conv and gemm between quantized values are integer layers: exact int32
  sums of (x - z_x) * w plus the bias, t = f32(that sum), y = t * M_c in f32
  with M_c = (f32(s_x) * f32(s_w[c])) / f32(s_y) in f32 (two roundings, as
  ONNX's reference computes it), the fused relu as max(y, 0), then
  saturate(round_half_even(y) + z_y);
- everything else (max-pool, flatten) in QDQ form: dequantize, the float
  op, quantize into the type observed on its output.

The compiled model runs natively through test/e2e/harness.c, one process
per digit.

  emulate_int8.py --octetc BIN --source-root DIR --work DIR [--cc CC]
"""
import argparse
import json
import os
import sys

import numpy as np
import onnx
from onnx import numpy_helper

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from e2e_util import run  # noqa: E402

F32 = np.float32


# --- Quantization parameters (double precision, as octetc derives them) ---

def activation_params(stats, name):
    """(scale, zero point) of the u8 activation observed as `name`, minmax."""
    o = stats[name]
    lo, hi = min(float(o["min"]), 0.0), max(float(o["max"]), 0.0)
    scale = (hi - lo) / 255.0 if hi > lo else 1.0
    zero = int(min(max(np.rint(-lo / scale), 0), 255))
    return scale, zero


def weight_params(w, axis):
    """Per-output-channel symmetric int8 weights: (scales, int values)."""
    w = w.astype(np.float64)
    moved = np.moveaxis(w, axis, 0).reshape(w.shape[axis], -1)
    bound = np.abs(moved).max(axis=1)
    scales = np.where(bound > 0, bound / 127.0, 1.0)
    shape = [1] * w.ndim
    shape[axis] = -1
    q = np.clip(np.rint(w / scales.reshape(shape)), -127, 127).astype(np.int64)
    return scales, q


def bias_params(b, s_x, s_w):
    s = s_x * s_w  # double, per channel
    q = np.rint(b.astype(np.float64) / s)
    return np.clip(q, -2**31, 2**31 - 1).astype(np.int64)


# --- ONNX quantize / dequantize, in f32 ---

def quantize(x, scale, zero):
    assert x.dtype == F32
    y = np.rint(x / F32(scale))  # true f32 division, round half to even
    y = y + F32(zero)
    y = np.where(np.isnan(y), F32(0), y)
    return np.clip(y, 0, 255).astype(np.int64)


def dequantize(q, scale, zero):
    return (q - zero).astype(np.int32).astype(F32) * F32(scale)


# --- Integer layers ---

def conv_integer(x, x_zero, w, pads):
    """Exact sums of (x - z_x) * w; padded positions contribute 0."""
    n, c, h, wd = x.shape
    o, c2, kh, kw = w.shape
    assert c == c2
    top, left, bottom, right = pads
    xs = np.zeros((n, c, h + top + bottom, wd + left + right), np.int64)
    xs[:, :, top:top + h, left:left + wd] = x - x_zero
    oh, ow = h + top + bottom - kh + 1, wd + left + right - kw + 1
    acc = np.zeros((n, o, oh, ow), np.int64)
    for i in range(kh):
        for j in range(kw):
            acc += np.einsum("nchw,oc->nohw", xs[:, :, i:i + oh, j:j + ow],
                             w[:, :, i, j])
    return acc


def requantize(acc, bias_q, multiplier, channel_axis, relu, zero):
    """t = f32(acc + bias) (the sum in int32); y = t * M (f32); relu; round,
    + z, saturate."""
    assert np.abs(acc).max() < 2**31
    shape = [1] * acc.ndim
    shape[channel_axis] = -1
    t = (acc.astype(np.int64) + bias_q.reshape(shape)).astype(np.int32)
    t = t.astype(F32)
    y = t * multiplier.astype(F32).reshape(shape)
    if relu:
        y = np.maximum(y, F32(0))
    y = np.rint(y) + F32(zero)
    return np.clip(y, 0, 255).astype(np.int64)


def maxpool(x, kernel, strides, pads):
    assert list(kernel) == list(strides) and not any(pads), (kernel, pads)
    n, c, h, w = x.shape
    kh, kw = kernel
    x = x[:, :, :h // kh * kh, :w // kw * kw]
    return x.reshape(n, c, h // kh, kh, w // kw, kw).max(axis=(3, 5))


def attributes(node):
    return {a.name: onnx.helper.get_attribute_value(a) for a in node.attribute}


def emulate(model_path, stats, images):
    """Logits (f32) of the int8 graph octetc builds, for a batch of images."""
    model = onnx.load(model_path)
    graph = model.graph
    weights = {i.name: numpy_helper.to_array(i) for i in graph.initializer}
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)
    used = set()

    def params(name):
        used.add(name)
        return activation_params(stats, name)

    # Every value: (storage ints, scale, zero point), quantized as observed.
    assert len(graph.input) == 1
    image = graph.input[0].name
    s, z = params(image)
    values = {image: (quantize(images.astype(F32), s, z), s, z)}
    fused = set()
    for node in graph.node:
        if node.name in fused:
            continue
        attrs = attributes(node)
        out = node.output[0]
        if node.op_type in ("Conv", "Gemm"):
            q_x, s_x, z_x = values[node.input[0]]
            w = weights[node.input[1]]
            b = weights[node.input[2]] if len(node.input) > 2 else \
                np.zeros(w.shape[0], F32)
            # A following relu is fused (octetc -O2), and the observer is
            # named after the last node.
            relu = False
            after = consumers.get(out, [])
            if len(after) == 1 and after[0].op_type == "Relu":
                relu = True
                fused.add(after[0].name)
                out_node, out = after[0], after[0].output[0]
            else:
                out_node = node
            s_y, z_y = params(out_node.name)
            if node.op_type == "Conv":
                assert attrs.get("group", 1) == 1
                assert all(v == 1 for v in attrs.get("strides", [1, 1]))
                assert all(v == 1 for v in attrs.get("dilations", [1, 1]))
                axis = 0
                s_w, w_q = weight_params(w, axis)
                acc = conv_integer(q_x, z_x, w_q, attrs.get("pads", [0] * 4))
                channel_axis = 1
            else:
                assert attrs.get("alpha", 1.0) == 1.0
                assert attrs.get("beta", 1.0) == 1.0
                assert not attrs.get("transA", 0)
                axis = 0 if attrs.get("transB", 0) else 1
                s_w, w_q = weight_params(w, axis)
                w_kn = w_q.T if axis == 0 else w_q
                acc = (q_x - z_x) @ w_kn
                channel_axis = 1
            b_q = bias_params(b, s_x, s_w)
            # (s_x * s_w) / s_y in f32, two roundings, as ONNX does.
            multiplier = np.array([(F32(s_x) * F32(sw)) / F32(s_y)
                                   for sw in s_w], F32)
            values[out] = (requantize(acc, b_q, multiplier, channel_axis,
                                      relu, z_y), s_y, z_y)
        elif node.op_type in ("MaxPool", "Flatten"):
            # QDQ form: dequantize, the float op, quantize as observed. In
            # this model each output's observed range equals its input's
            # (max-pool keeps the max of its ReLU input, the range holds 0),
            # so the scales agree and this is the identity on the integers,
            # as running the op on the storage integers would be.
            q_x, s_x, z_x = values[node.input[0]]
            x = dequantize(q_x, s_x, z_x)
            if node.op_type == "MaxPool":
                y = maxpool(x, attrs["kernel_shape"], attrs["strides"],
                            attrs.get("pads", [0] * 4))
            else:
                axis = attrs.get("axis", 1)
                y = x.reshape(x.shape[0], -1) if axis == 1 else None
                assert y is not None, "Flatten axis %d" % axis
            s_y, z_y = params(node.name)
            values[out] = (quantize(y, s_y, z_y), s_y, z_y)
        else:
            raise SystemExit("emulate_int8: no emulation of %s (%s)" %
                             (node.op_type, node.name))
    unused = set(stats) - used
    assert not unused, "observers not emulated: %s" % sorted(unused)
    assert len(graph.output) == 1
    q, s, z = values[graph.output[0].name]
    return dequantize(q, s, z)


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--octetc", required=True)
    p.add_argument("--source-root", required=True)
    p.add_argument("--work", required=True)
    p.add_argument("--cc", default="cc")
    p.add_argument("--calibration", type=int, default=256)
    args = p.parse_args()
    root, work = args.source_root, args.work
    os.makedirs(work, exist_ok=True)
    digits = os.path.join(root, "examples", "digits")
    model = os.path.join(digits, "digits_cnn.onnx")

    run([sys.executable, os.path.join(digits, "train_digits.py"), "--data-only",
         "--calibration", str(args.calibration), "--out", work])
    stats_path = os.path.join(work, "stats.json")
    out = os.path.join(work, "int8")
    os.makedirs(out, exist_ok=True)
    run([args.octetc, model, "-o", os.path.join(out, "digits"),
         "--name=digits", "--quantize=int8", "--calibration-data",
         os.path.join(work, "calibration.npy"), "--save-stats", stats_path])
    harness = os.path.join(work, "run_digits")
    run([args.cc, "-std=c11", "-O1",
         '-DMODEL_HEADER="%s"' % os.path.join(out, "digits.h"),
         "-DMODEL=digits", os.path.join(root, "test", "e2e", "harness.c"),
         os.path.join(out, "digits.o"), "-o", harness])

    images = np.fromfile(os.path.join(work, "heldout.bin"), F32)
    images = images.reshape(-1, 1, 8, 8)
    count = len(images)
    image_path = os.path.join(work, "image.bin")
    logits_path = os.path.join(work, "logits.bin")
    octet = np.zeros((count, 10), F32)
    for i in range(count):
        images[i].tofile(image_path)
        run([harness, image_path, logits_path])
        octet[i] = np.fromfile(logits_path, F32)

    with open(stats_path) as f:
        stats = json.load(f)["observers"]
    emulated = emulate(model, stats, images)

    same = (octet.view(np.uint32) == emulated.view(np.uint32)).all(axis=1)
    diff = np.abs(octet.astype(np.float64) - emulated)
    print("int8 digits: %d of %d held-out digits give logits bit-identical to "
          "the numpy emulation (max abs difference %.9g)" %
          (same.sum(), count, diff.max()))
    labels = np.fromfile(os.path.join(work, "heldout_labels.bin"), np.uint8)
    print("accuracy: octet %d, emulation %d of %d" % (
        (octet.argmax(1) == labels).sum(), (emulated.argmax(1) == labels).sum(),
        count))
    if not same.all():
        i = int(np.argmin(same))
        j = int(np.argmax(octet[i].view(np.uint32) != emulated[i].view(np.uint32)))
        print("FAIL: first difference at digit %d, logit %d: octet %r, "
              "emulation %r" % (i, j, float(octet[i, j]), float(emulated[i, j])))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
