#!/usr/bin/env python3
"""Int8 benchmark: Octet vs onnxruntime and PyTorch on the same quantized
models, side by side in one run, interleaved round by round.

Every model is exported from torch to ONNX (float, random weights, fixed
seed) and quantized once by onnxruntime's quantize_static (MinMax,
per-channel s8 weights, u8 activations, a few random calibration samples)
into a QDQ and a QOperator model with the same scales. The engines:

- Octet int8: octetc compiles the QDQ model as it is (its optimizer folds
  DQ -> Conv/Gemm/MatMul -> Q into integer ops);
- Octet int8 ref: the same with --int8-kernels=reference (the portable
  reference kernels only), where octetc has that option;
- Octet fp32: octetc on the float model (the float baseline);
- onnxruntime (PyPI, pinned in requirements.txt) on the QOperator model
  (QLinearConv, QLinearMatMul, QGemm) and on the QDQ model;
- PyTorch from PyPI (pinned in requirements-torch.txt, its own venv
  bench/.venv-torch: the PyPI wheel is the CUDA build, about 5 GB with its
  libraries; only its CPU kernels run here) with
  torch.backends.quantized.engine = fbgemm, x86 (fbgemm or onednn per
  op) and qnnpack (for reference). The QDQ model's integer weights, scales
  and zero points are loaded into torch's quantized modules
  (torch.ao.nn.quantized Conv2d/Linear, quantized::add, ...), so torch runs
  the same quantized model, op by op from Python. Without that venv, the
  torch engines are Debian's torch 1.13 (onednn and qnnpack; no fbgemm).

Each engine runs in its own process pinned to the first T CPUs (taskset /
sched_setaffinity), with T threads, T in --threads (1,2). Per model and T,
every engine is warmed up, then runs --rounds rounds; each round runs every
engine in turn (the order rotates) for about --round-ms ms after one
uncounted call; the result is the median of the round medians, the spread
the lowest and highest round median. At 2+ threads the torch workers run
with OMP_WAIT_POLICY=PASSIVE (see PyWorker). Inputs are the same random sample for every engine, float in and
float out (quantize and dequantize included everywhere).

Metrics: ms; GOPS (2 x multiply-accumulates / s, counted on the float
model's Conv/Gemm/MatMul); MAC/cycle per core at the core clock measured at
the start (bench/core_clock.c: a dependent-add chain); % of the machine's
int8 peak (64 MAC/cycle per core: AVX-512 VNNI vpdpbusd on Zen 4, see
docs/x86-int8-kernels.md section 1); and the ratio Octet int8 / each peer
(lower is better for Octet). For the whole models: Octet's object size and
arena bytes. Writes bench/results/int8.md and bench/results/int8.png. Not a
test: nothing here passes or fails.

  bash bench/setup_venv.sh
  bench/.venv/bin/python bench/bench_int8.py              # about 6 min
  bench/.venv/bin/python bench/bench_int8.py --quick      # about 20 s
"""
import argparse
import collections
import datetime
import json
import logging
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
# onnx (the venv's 1.17) before torch: Debian's torch registers protobuf
# descriptors that break a later `import onnx`.
import onnx

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)

# Peak int8 multiply-accumulates per cycle and core of this host's best path
# (AVX-512 VNNI: vpdpbusd, 2 x 32 MACs per cycle on Zen 4's 256-bit pipes).
PEAK_MAC_PER_CYCLE = 64

# Engines: key -> column label. Ratios are Octet int8 over each other one.
ENGINES = collections.OrderedDict([
    ("octet-int8", "Octet int8"),
    ("octet-int8-ref", "Octet int8 ref"),
    ("octet-fp32", "Octet fp32"),
    ("ort-qop", "ORT QOperator"),
    ("ort-qdq", "ORT QDQ"),
    ("torch-fbgemm", "torch fbgemm"),
    ("torch-x86", "torch x86"),
    ("torch-onednn", "torch onednn"),
    ("torch-qnnpack", "torch qnnpack"),
])
# PyPI's torch (setup_venv.sh), for the torch engines; Debian's otherwise.
TORCH_PYTHON = os.path.join(HERE, ".venv-torch", "bin", "python")
# With PyPI's torch: fbgemm, x86 and qnnpack (onednn is in x86's choice);
# with Debian's: onednn and qnnpack.
PYPI_TORCH_ENGINES = ["torch-fbgemm", "torch-x86", "torch-qnnpack"]
DEBIAN_TORCH_ENGINES = ["torch-onednn", "torch-qnnpack"]
PEERS = [e for e in ENGINES if e != "octet-int8"]
# Pause between engines at 2+ threads (see measure).
PAUSE_S = 0.03


# ---------------------------------------------------------------- models

def conv_layer(cin, cout, k, stride, hw, groups=1):
    import torch.nn as nn
    return nn.Conv2d(cin, cout, k, stride=stride, padding=k // 2,
                     groups=groups), [(1, cin, hw, hw)]


def linear_layer(tokens, cin, cout):
    import torch.nn as nn
    return nn.Linear(cin, cout), [(tokens, cin)]


def attention_scores(heads, seq, dim):
    import torch

    class Scores(torch.nn.Module):
        def forward(self, q, k):
            return torch.matmul(q, k)

    return Scores(), [(1, heads, seq, dim), (1, heads, dim, seq)]


def bert_encoder(seq=128, hidden=768, heads=12, ffn=3072):
    """One BERT-base encoder layer (post-norm, GELU), random weights."""
    import torch
    import torch.nn as nn

    class Encoder(nn.Module):
        def __init__(self):
            super().__init__()
            self.q = nn.Linear(hidden, hidden)
            self.k = nn.Linear(hidden, hidden)
            self.v = nn.Linear(hidden, hidden)
            self.o = nn.Linear(hidden, hidden)
            self.ln1 = nn.LayerNorm(hidden)
            self.up = nn.Linear(hidden, ffn)
            self.down = nn.Linear(ffn, hidden)
            self.ln2 = nn.LayerNorm(hidden)

        def forward(self, x):  # x: (seq, hidden)
            d = hidden // heads
            q = self.q(x).reshape(seq, heads, d).transpose(0, 1)
            k = self.k(x).reshape(seq, heads, d).permute(1, 2, 0)
            v = self.v(x).reshape(seq, heads, d).transpose(0, 1)
            p = torch.softmax(torch.matmul(q, k) * (d ** -0.5), dim=-1)
            a = torch.matmul(p, v).transpose(0, 1).reshape(seq, hidden)
            x = self.ln1(x + self.o(a))
            return self.ln2(x + self.down(nn.functional.gelu(self.up(x))))

    return Encoder(), [(seq, hidden)]


def full_model(name):
    """A model of full_models.py with random batch-norm statistics too: with
    their default ones every folded bias is 0, the exporter shares one
    initializer among those convs, and onnxruntime's QOperator quantizer
    fails on the shared bias."""
    import torch
    import full_models
    factory, shape, _ = full_models.FULL_MODELS[name]
    model = factory()
    for m in model.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            c = m.num_features
            m.weight.data = torch.rand(c) + 0.5
            m.bias.data = 0.1 * torch.randn(c)
            m.running_mean = 0.1 * torch.randn(c)
            m.running_var = torch.rand(c) + 0.5
    return model, [shape]


# name -> (kind, builder); kind "layer" or "model".
CASES = collections.OrderedDict([
    ("ResNet-18 conv1 7x7/2 3->64 @224",
     ("layer", lambda: conv_layer(3, 64, 7, 2, 224))),
    ("ResNet-18 layer1 3x3 64->64 @56",
     ("layer", lambda: conv_layer(64, 64, 3, 1, 56))),
    ("ResNet-18 layer3 3x3 256->256 @14",
     ("layer", lambda: conv_layer(256, 256, 3, 1, 14))),
    ("ResNet-18 downsample 1x1/2 64->128 @56",
     ("layer", lambda: conv_layer(64, 128, 1, 2, 56))),
    ("MobileNetV2 pw 1x1 32->192 @56",
     ("layer", lambda: conv_layer(32, 192, 1, 1, 56))),
    ("MobileNetV2 dw 3x3 144 @56",
     ("layer", lambda: conv_layer(144, 144, 3, 1, 56, groups=144))),
    ("MobileNetV2 dw 3x3/2 96 @112",
     ("layer", lambda: conv_layer(96, 96, 3, 2, 112, groups=96))),
    ("BERT QKV proj 128x768 -> 768",
     ("layer", lambda: linear_layer(128, 768, 768))),
    ("BERT FFN up 128x768 -> 3072",
     ("layer", lambda: linear_layer(128, 768, 3072))),
    ("BERT FFN down 128x3072 -> 768",
     ("layer", lambda: linear_layer(128, 3072, 768))),
    ("BERT attention Q.K^T 12x(128x64x128)",
     ("layer", lambda: attention_scores(12, 128, 64))),
    ("GEMV 1x768 -> 3072",
     ("layer", lambda: linear_layer(1, 768, 3072))),
    ("ResNet-18 (224), whole model",
     ("model", lambda: full_model("ResNet-18 (224)"))),
    ("MobileNetV2 (224), whole model",
     ("model", lambda: full_model("MobileNetV2 (224)"))),
    ("BERT-base encoder layer (seq 128), whole",
     ("model", bert_encoder)),
])
# Cases whose quantization leaves all but these ops in float: in the BERT
# layer only the GEMMs and attention matmuls are int8 (as onnxruntime's own
# transformer recipes do); softmax, layer norm, GELU and the residual adds
# stay float, with a Q/DQ pair around each int8 op.
OP_TYPES = {"BERT-base encoder layer (seq 128), whole": ["MatMul", "Gemm"]}
# Opset of the export, 13 unless named here. The BERT layer at opset 17 has
# LayerNormalization ops; at 13 torch writes layer norm out with Pow(x, 2),
# which Octet computes as exp(2 log x), NaN for x < 0.
OPSET = {"BERT-base encoder layer (seq 128), whole": 17}
QUICK_CASES = ["ResNet-18 layer3 3x3 256->256 @14",
               "MobileNetV2 dw 3x3 144 @56",
               "BERT QKV proj 128x768 -> 768",
               "GEMV 1x768 -> 3072"]


def export(builder, path, opset=13):
    """Exports the torch module (seed 0) to ONNX; returns the input shapes."""
    import warnings
    import torch
    torch.manual_seed(0)
    module, shapes = builder()
    module.eval()
    inputs = tuple(torch.randn(*s) for s in shapes)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        torch.onnx.export(module, inputs, path, opset_version=opset,
                          input_names=["input%d" % i
                                       for i in range(len(shapes))])
    return shapes


def count_macs(path):
    """Multiply-accumulates of the float model's Conv, Gemm and MatMul."""
    model = onnx.shape_inference.infer_shapes(onnx.load(path))
    shapes = {}
    for v in list(model.graph.value_info) + list(model.graph.input) + list(
            model.graph.output):
        dims = v.type.tensor_type.shape.dim
        shapes[v.name] = [d.dim_value for d in dims]
    for i in model.graph.initializer:
        shapes[i.name] = list(i.dims)
    total = 0
    for n in model.graph.node:
        attrs = {a.name: onnx.helper.get_attribute_value(a)
                 for a in n.attribute}
        if n.op_type == "Conv":
            out, w = shapes[n.output[0]], shapes[n.input[1]]
            total += int(np.prod(out)) * int(np.prod(w[1:]))
        elif n.op_type == "Gemm":
            a = shapes[n.input[0]]
            b = shapes[n.input[1]]
            m, k = (a[1], a[0]) if attrs.get("transA") else (a[0], a[1])
            cols = b[0] if attrs.get("transB") else b[1]
            total += m * k * cols
        elif n.op_type == "MatMul":
            out, a = shapes[n.output[0]], shapes[n.input[0]]
            total += int(np.prod(out)) * a[-1]
    return total


# ---------------------------------------------------------------- quantization

def quantize(float_path, shapes, out_dir, num_calib, op_types=None):
    """onnxruntime's quantize_static in both formats, same settings; returns
    {"qdq": path, "qop": path}."""
    import onnxruntime as ort
    from onnxruntime.quantization import (CalibrationDataReader,
                                          CalibrationMethod, QuantFormat,
                                          QuantType, quantize_static)
    names = [i.name for i in ort.InferenceSession(
        float_path, providers=["CPUExecutionProvider"]).get_inputs()]
    rng = np.random.default_rng(1)
    samples = [{n: rng.standard_normal(s).astype(np.float32)
                for n, s in zip(names, shapes)} for _ in range(num_calib)]

    class Reader(CalibrationDataReader):
        def __init__(self):
            self.it = iter(samples)

        def get_next(self):
            return next(self.it, None)

    paths = {}
    for key, fmt in (("qdq", QuantFormat.QDQ), ("qop", QuantFormat.QOperator)):
        paths[key] = os.path.join(out_dir, key + ".onnx")
        quantize_static(float_path, paths[key], Reader(), quant_format=fmt,
                        per_channel=True, activation_type=QuantType.QUInt8,
                        weight_type=QuantType.QInt8,
                        calibrate_method=CalibrationMethod.MinMax,
                        op_types_to_quantize=op_types)
    return paths


def output_step(qdq_path):
    """The scale of the QDQ model's final DequantizeLinear (one integer step
    of the output), or None."""
    from onnx import numpy_helper
    model = onnx.load(qdq_path)
    out = model.graph.output[0].name
    node = next((n for n in model.graph.node if out in n.output), None)
    init = {i.name: i for i in model.graph.initializer}
    if node is None or node.op_type != "DequantizeLinear" or \
            node.input[1] not in init:
        return None
    return float(numpy_helper.to_array(init[node.input[1]]))


# ---------------------------------------------------------------- torch

class TorchQdq:
    """Runs an onnxruntime QDQ model with PyTorch's quantized CPU ops, built
    from the model's own integer weights, scales and zero points. Raises
    NotImplementedError for an op it has no quantized torch op for."""

    def __init__(self, path, engine):
        import torch
        from onnx import numpy_helper
        torch.backends.quantized.engine = engine
        self.torch = torch
        self.fallbacks = []
        g = onnx.load(path).graph
        init = {i.name: numpy_helper.to_array(i) for i in g.initializer}
        for n in g.node:
            if n.op_type == "Constant":
                init[n.output[0]] = numpy_helper.to_array(n.attribute[0].t)
        self.init = init
        self.producer = {o: n for n in g.node for o in n.output}
        self.q_after = {}  # tensor -> (scale, zero point) of its Q consumer
        for n in g.node:
            if n.op_type == "QuantizeLinear":
                self.q_after.setdefault(n.input[0], self.qparams(n))
        self.inputs = [i.name for i in g.input if i.name not in init]
        self.outputs = [o.name for o in g.output]
        self.steps = []
        missing = set()
        for n in g.node:
            if n.op_type == "Constant":
                continue
            if n.op_type == "DequantizeLinear" and n.input[0] in init:
                continue  # a constant, read by the op that uses it
            try:
                self.steps.append(self.build(n))
            except NotImplementedError as e:
                missing.add(str(e))
        if missing:
            raise NotImplementedError("no quantized torch op here for " +
                                      ", ".join(sorted(missing)))

    def qparams(self, node):
        scale = self.init[node.input[1]]
        zp = self.init[node.input[2]] if len(node.input) > 2 and \
            node.input[2] else np.zeros_like(scale, np.int64)
        axis = next((a.i for a in node.attribute if a.name == "axis"), 1)
        if scale.size == 1:
            return float(scale), int(zp)
        return scale, zp, axis

    def const(self, name):
        """(float array, DequantizeLinear params or None) of a constant."""
        if name in self.init:
            return self.init[name].astype(np.float32), None
        n = self.producer.get(name)
        if n is None or n.op_type != "DequantizeLinear" or \
                n.input[0] not in self.init:
            return None, None
        q = self.qparams(n)
        x = self.init[n.input[0]].astype(np.float64)
        if len(q) == 2:
            return ((x - q[1]) * q[0]).astype(np.float32), q
        shape = [1] * x.ndim
        shape[q[2]] = -1
        return ((x - q[1].reshape(shape)) *
                q[0].reshape(shape)).astype(np.float32), q

    def qweight(self, w, q, channel_axis):
        """torch's qint8 weight from the float weight and its DQ params
        (per channel along channel_axis of w)."""
        t = self.torch
        if q is None:
            raise NotImplementedError("float weight")
        if len(q) == 2:
            return t.quantize_per_tensor(t.from_numpy(w), q[0], q[1], t.qint8)
        if q[2] % w.ndim != channel_axis:
            raise NotImplementedError("weights per channel on axis %d" % q[2])
        return t.quantize_per_channel(
            t.from_numpy(np.ascontiguousarray(w)),
            t.from_numpy(q[0].astype(np.float64)),
            t.from_numpy(q[1].astype(np.int64)), 0, t.qint8)

    def out_params(self, node):
        q = self.q_after.get(node.output[0])
        if q is None or len(q) != 2:
            raise NotImplementedError("%s output not quantized per tensor"
                                      % node.op_type)
        return q

    def requant(self, v, q):
        t = self.torch
        if v.is_quantized and v.q_scale() == q[0] and v.q_zero_point() == q[1]:
            return v
        return t.quantize_per_tensor(v.dequantize() if v.is_quantized else v,
                                     q[0], q[1], t.quint8)

    def build(self, n):
        t = self.torch
        F = t.nn.functional
        nnq = t.ao.nn.quantized
        a = {x.name: onnx.helper.get_attribute_value(x)
             for x in n.attribute}
        x0, y0 = n.input[0], n.output[0]
        op = n.op_type

        def step(fn, *names):
            def run(env):
                env[y0] = fn(*[env[m] for m in names])
            return run

        if op == "QuantizeLinear":
            q = self.qparams(n)
            if len(q) != 2:
                raise NotImplementedError("per-channel activations")
            return step(lambda v: self.requant(v, q), x0)
        if op == "DequantizeLinear":
            return step(lambda v: v, x0)  # stays quantized; see __call__
        if op in ("Conv", "Gemm", "MatMul"):
            w, wq = self.const(n.input[1])
            bias = self.const(n.input[2])[0] if len(n.input) > 2 and \
                n.input[2] else None
            s, zp = self.out_params(n)
            if op == "MatMul" and w is None:
                # Two activations: torch 1.13's quantized::matmul dequantizes,
                # multiplies in float and quantizes (no int8 kernel on x86).
                self.fallbacks.append("quantized::matmul (float inside)")
                return step(lambda u, v: t.ops.quantized.matmul(u, v, s, zp),
                            x0, n.input[1])
            if op == "Conv":
                pads = a.get("pads", [0] * 4)
                if pads[:2] != pads[2:] or a.get("auto_pad", b"NOTSET") not in \
                        (b"NOTSET", "NOTSET"):
                    raise NotImplementedError("asymmetric padding")
                cout, cin_g, kh, kw = w.shape
                groups = a.get("group", 1)
                m = nnq.Conv2d(cin_g * groups, cout, (kh, kw),
                               stride=tuple(a.get("strides", [1, 1])),
                               padding=tuple(pads[:2]),
                               dilation=tuple(a.get("dilations", [1, 1])),
                               groups=groups)
                qw = self.qweight(w, wq, 0)
            else:
                if op == "Gemm" and (a.get("transA", 0) or
                                     a.get("alpha", 1.0) != 1.0 or
                                     a.get("beta", 1.0) != 1.0):
                    raise NotImplementedError("Gemm with transA/alpha/beta")
                if op == "Gemm" and a.get("transB", 0):
                    qw = self.qweight(w, wq, 0)
                else:  # (K, N): per channel along N, transposed to rows
                    if wq is not None and len(wq) == 3 and wq[2] % 2 != 1:
                        raise NotImplementedError("weights per channel on K")
                    wq2 = wq if wq is None or len(wq) == 2 else \
                        (wq[0], wq[1], 0)
                    qw = self.qweight(np.ascontiguousarray(w.T), wq2, 0)
                m = nnq.Linear(w.shape[1] if op == "Gemm" and
                               a.get("transB", 0) else w.shape[0],
                               qw.shape[0])
            m.set_weight_bias(qw, None if bias is None else
                              t.from_numpy(bias.reshape(-1)))
            m.scale, m.zero_point = s, zp
            return step(m, x0)
        if op == "Add":
            s, zp = self.out_params(n)
            return step(lambda u, v: t.ops.quantized.add(u, v, s, zp),
                        x0, n.input[1])
        if op == "Relu":
            q = self.out_params(n)
            return step(lambda v: self.requant(t.relu(v), q), x0)
        if op == "Clip":
            lo = float(self.const(n.input[1])[0]) if len(n.input) > 1 and \
                n.input[1] else None
            hi = float(self.const(n.input[2])[0]) if len(n.input) > 2 and \
                n.input[2] else None
            q = self.out_params(n)
            return step(lambda v: self.requant(t.clamp(v, lo, hi), q), x0)
        if op == "MaxPool":
            pads = a.get("pads", [0] * 4)
            if pads[:2] != pads[2:]:
                raise NotImplementedError("asymmetric padding")
            q = self.out_params(n)
            k, st = a["kernel_shape"], a.get("strides", [1, 1])
            cm = bool(a.get("ceil_mode", 0))
            return step(lambda v: self.requant(F.max_pool2d(
                v, k, st, pads[:2], ceil_mode=cm), q), x0)
        if op == "GlobalAveragePool":
            q = self.out_params(n)
            return step(lambda v: self.requant(F.adaptive_avg_pool2d(v, 1), q),
                        x0)
        if op == "Flatten":
            axis = a.get("axis", 1)
            return step(lambda v: v.reshape(
                int(np.prod(v.shape[:axis])), -1), x0)
        if op == "Reshape":
            shape = [int(d) for d in self.const(n.input[1])[0]]
            return step(lambda v: v.reshape(shape), x0)
        raise NotImplementedError(op)

    def __call__(self, feeds):
        env = dict(feeds)
        for s in self.steps:
            s(env)
        return [env[o].dequantize() if env[o].is_quantized else env[o]
                for o in self.outputs]


# ---------------------------------------------------------------- workers

def worker_main(engine, threads, cpus):
    """An engine's timing process: JSON commands on stdin, one per line."""
    os.sched_setaffinity(0, cpus)
    if engine.startswith("torch"):
        import torch
        torch.set_num_threads(threads)
    else:
        import onnxruntime as ort
        ort.set_default_logger_severity(3)
    models = {}
    for line in sys.stdin:
        cmd = json.loads(line)
        try:
            reply = {"ok": True}
            if cmd["op"] == "load":
                feeds = dict(np.load(cmd["inputs"]))
                if engine.startswith("ort"):
                    opts = ort.SessionOptions()
                    opts.intra_op_num_threads = threads
                    opts.inter_op_num_threads = 1
                    sess = ort.InferenceSession(
                        cmd["path"], opts, providers=["CPUExecutionProvider"])
                    models[cmd["key"]] = lambda s=sess, f=feeds: s.run(None, f)
                else:
                    import torch
                    m = TorchQdq(cmd["path"], engine.split("-", 1)[1])
                    tf = {k: torch.from_numpy(v) for k, v in feeds.items()}

                    def run(m=m, tf=tf):
                        with torch.inference_mode():
                            return [y.numpy() for y in m(tf)]
                    models[cmd["key"]] = run
                    reply["notes"] = sorted(set(m.fallbacks))
            elif cmd["op"] == "time":
                fn = models[cmd["key"]]
                times = []
                for _ in range(cmd["n"]):
                    start = time.perf_counter()
                    fn()
                    times.append((time.perf_counter() - start) * 1e3)
                reply["times"] = times
            elif cmd["op"] == "out":
                np.save(cmd["path"], np.asarray(models[cmd["key"]]()[0],
                                                np.float32))
            elif cmd["op"] == "drop":
                models.pop(cmd["key"], None)
        except Exception as e:  # reported to the driver, which goes on
            reply = {"ok": False, "error": "%s: %s" % (type(e).__name__, e)}
        print(json.dumps(reply), flush=True)


class PyWorker:
    def __init__(self, engine, threads, cpus):
        env = dict(os.environ)
        if engine.startswith("torch") and threads > 1:
            # torch's own ops run on OpenMP threads that by default spin
            # after each parallel region. With qnnpack's separate
            # pthreadpool that oversubscribes 2 CPUs (qnnpack's layers sat
            # at ~8 ms each at 2 threads), and any other load on the
            # machine made onednn 5-10x slower. Passive waiting made both
            # stable here.
            env.setdefault("OMP_WAIT_POLICY", "PASSIVE")
        python = sys.executable
        if engine.startswith("torch") and os.path.exists(TORCH_PYTHON):
            python = TORCH_PYTHON
        self.p = subprocess.Popen(
            [python, os.path.abspath(__file__), "--worker", engine,
             "--threads", str(threads), "--pin-cpus",
             ",".join(map(str, cpus))],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True, env=env)

    def call(self, **cmd):
        self.p.stdin.write(json.dumps(cmd) + "\n")
        self.p.stdin.flush()
        line = self.p.stdout.readline()
        if not line:
            raise RuntimeError("worker died")
        reply = json.loads(line)
        if not reply["ok"]:
            raise RuntimeError(reply["error"])
        return reply

    def close(self):
        self.p.stdin.close()
        self.p.wait()


class PyRunner:
    """One model loaded in a PyWorker."""

    def __init__(self, worker, key, path, inputs_npz):
        self.worker, self.key = worker, key
        self.notes = worker.call(op="load", key=key, path=path,
                                 inputs=inputs_npz).get("notes", [])

    def time(self, n):
        return self.worker.call(op="time", key=self.key, n=n)["times"]

    def output(self, path):
        self.worker.call(op="out", key=self.key, path=path + ".npy")
        return np.load(path + ".npy").ravel()

    def close(self):
        self.worker.call(op="drop", key=self.key)


class OctetRunner:
    """A compiled Octet model in its own pinned timer_rounds process."""

    def __init__(self, exe, inputs_bin, cpus):
        self.notes = []
        self.p = subprocess.Popen(
            ["taskset", "-c", ",".join(map(str, cpus)), exe, inputs_bin],
            stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
        line = self.p.stdout.readline().split()
        if not line or line[0] != "scratch":
            raise RuntimeError("%s did not start" % exe)
        self.scratch = int(line[1])

    def command(self, text):
        self.p.stdin.write(text + "\n")
        self.p.stdin.flush()
        line = self.p.stdout.readline()
        if not line:
            raise RuntimeError("the Octet timer died")
        return line

    def time(self, n):
        return [float(x) for x in self.command("t %d" % n).split()]

    def output(self, path):
        self.command("w " + path)
        return np.fromfile(path, np.float32)

    def close(self):
        self.p.stdin.write("q\n")
        self.p.stdin.close()
        self.p.wait()


# ---------------------------------------------------------------- Octet

class ToolFailed(Exception):
    pass


def run_tool(cmd, retries=0):
    """Runs cmd; a rebuild may replace octetc meanwhile, so with retries a
    missing binary is waited for."""
    for attempt in range(retries + 1):
        try:
            return subprocess.run(cmd, check=True, capture_output=True,
                                  text=True)
        except OSError as e:
            if attempt == retries:
                raise
            print("waiting for %s (%s)" % (cmd[0], e), file=sys.stderr)
            time.sleep(10)
        except subprocess.CalledProcessError as e:
            raise ToolFailed("%s failed:\n%s%s" % (" ".join(cmd), e.stdout,
                                                   e.stderr)) from None


def build_octet(args, onnx_path, stem, threads, flags=()):
    """octetc + timer_rounds.c; returns (exe, object bytes (text+data),
    compile seconds)."""
    start = time.time()
    run_tool([args.octetc, onnx_path, "-o", stem, "--name=m",
              "--cpu=" + args.cpu, "--threads=%d" % threads] +
             args.octet_flags + list(flags), retries=30)
    seconds = time.time() - start
    exe = stem + ".timer"
    extra = [args.runtime_lib, "-lpthread"] if threads > 1 else []
    run_tool(["cc", "-O2", "-DMODEL_HEADER=\"%s.h\"" % stem, "-DMODEL=m",
              os.path.join(HERE, "timer_rounds.c"), stem + ".o"] + extra +
             ["-o", exe])
    fields = run_tool(["size", stem + ".o"]).stdout.splitlines()[1].split()
    return exe, int(fields[0]) + int(fields[1]), seconds


def core_clock(work, cpu):
    exe = os.path.join(work, "core_clock")
    run_tool(["cc", "-O2", os.path.join(HERE, "core_clock.c"), "-o", exe])
    return float(run_tool(["taskset", "-c", str(cpu), exe]).stdout)


# ---------------------------------------------------------------- driver

class Result:
    def __init__(self, name, kind, macs):
        self.name, self.kind, self.macs = name, kind, macs
        self.times = {}   # (engine, threads) -> (median, lo, hi) ms
        self.errors = {}  # engine -> message
        self.notes = {}   # engine -> [notes]
        self.agree = {}   # engine -> text: its output vs ORT QDQ's
        self.sizes = {}   # "octet-int8"/"octet-fp32" -> (object, scratch)
        self.files = {}   # "qdq"/"qop"/"float" -> bytes
        self.compile_s = {}


def measure(runners, rounds, round_ms, errors, pause_s=0.0):
    """Interleaved rounds; returns engine -> (median, lo, hi) ms. An engine
    that fails is dropped, its error put in errors. pause_s between engines
    lets the idle threads of the one before stop spinning (onnxruntime's
    pool and OpenMP spin-wait a while after a run)."""
    batch = {}
    per_round = collections.defaultdict(list)
    engines = list(runners)

    def timed(e, n):
        try:
            return runners[e].time(n)
        except RuntimeError as ex:
            errors[e] = str(ex)[:200]
            engines.remove(e)
            return None

    for e in list(engines):
        warm = timed(e, 2)  # the warm-up, and how many runs fill a round
        if warm:
            batch[e] = max(1, min(50, int(round_ms / max(min(warm), 1e-3))))
    for i in range(rounds):
        k = i % len(engines) if engines else 0
        for e in engines[k:] + engines[:k]:
            time.sleep(pause_s)
            # The first run of a batch warms the engine up again after the
            # others' turns (caches, and on a VM the idle second vCPU) and
            # is not counted.
            t = timed(e, batch[e] + 1)
            if t:
                per_round[e].append(float(np.median(t[1:])))
    return {e: (float(np.median(v)), min(v), max(v))
            for e, v in per_round.items() if e in engines}


def run_case(name, args, work, workers, cpus_for):
    kind, builder = CASES[name]
    case_dir = os.path.join(work, "".join(c if c.isalnum() else "_"
                                          for c in name))
    os.makedirs(case_dir, exist_ok=True)
    float_path = os.path.join(case_dir, "float.onnx")
    shapes = export(builder, float_path, OPSET.get(name, 13))
    res = Result(name, kind, count_macs(float_path))
    paths = quantize(float_path, shapes, case_dir, args.calib,
                     OP_TYPES.get(name))
    paths["float"] = float_path
    res.files = {k: os.path.getsize(p) for k, p in paths.items()}
    step = output_step(paths["qdq"])

    import onnxruntime as ort
    names = [i.name for i in ort.InferenceSession(
        float_path, providers=["CPUExecutionProvider"]).get_inputs()]
    rng = np.random.default_rng(2)
    sample = [rng.standard_normal(s).astype(np.float32) for s in shapes]
    inputs_bin = os.path.join(case_dir, "inputs.bin")
    with open(inputs_bin, "wb") as f:
        for x in sample:
            f.write(x.tobytes())
    inputs_npz = os.path.join(case_dir, "inputs.npz")
    np.savez(inputs_npz, **dict(zip(names, sample)))

    for threads in args.threads:
        cpus = cpus_for(threads)
        runners = {}
        for engine in args.engines:
            if engine in res.errors:
                continue
            try:
                if engine.startswith("octet"):
                    src = paths["float" if engine == "octet-fp32" else "qdq"]
                    stem = os.path.join(case_dir, "%s_t%d" % (engine, threads))
                    exe, obj, secs = build_octet(
                        args, src, stem, threads,
                        ["--int8-kernels=reference"]
                        if engine == "octet-int8-ref" else [])
                    runners[engine] = OctetRunner(exe, inputs_bin, cpus)
                    res.sizes.setdefault(engine,
                                         (obj, runners[engine].scratch))
                    res.compile_s[(engine, threads)] = secs
                else:
                    key = (engine, threads)
                    if key not in workers:
                        workers[key] = PyWorker(engine, threads, cpus)
                    src = paths["qop" if engine == "ort-qop" else "qdq"]
                    runners[engine] = PyRunner(workers[key], name, src,
                                               inputs_npz)
                    if runners[engine].notes:
                        res.notes[engine] = runners[engine].notes
            except (ToolFailed, RuntimeError) as e:
                msg = str(e).strip().splitlines()
                res.errors[engine] = next(
                    (m for m in msg if "error:" in m), msg[-1])[:300]
                print("  %s: %s" % (engine, str(e).strip()[-2000:]),
                      file=sys.stderr, flush=True)
        if threads == args.threads[0] and "ort-qdq" in runners:
            ref = runners["ort-qdq"].output(os.path.join(case_dir, "ref"))
            for e, r in runners.items():
                if e in ("ort-qdq", "octet-fp32"):
                    continue
                y = r.output(os.path.join(case_dir, "out_" + e))
                if y.size != ref.size:
                    continue
                diff = y.astype(np.float64) - ref
                if np.isnan(y).any():
                    res.agree[e] = "NaN in %d of %d" % (np.isnan(y).sum(),
                                                        y.size)
                elif step:
                    res.agree[e] = "%.2f" % (np.max(np.abs(diff)) / step)
                else:  # a float output (no final DequantizeLinear): SQNR
                    noise = np.sum(diff ** 2)
                    res.agree[e] = "%.0f dB" % (
                        10 * np.log10(np.sum(ref.astype(np.float64) ** 2) /
                                      noise)) if noise else "0.00"
        for e, t in measure(runners, args.rounds, args.round_ms, res.errors,
                            PAUSE_S if threads > 1 else 0.0).items():
            res.times[(e, threads)] = t
        for r in runners.values():
            try:
                r.close()
            except (RuntimeError, OSError):
                pass
        line = "  T=%d " % threads + " ".join(
            "%s %.3f" % (e, res.times[(e, threads)][0]) for e in runners
            if (e, threads) in res.times)
        print(line, file=sys.stderr, flush=True)
    return res


# ---------------------------------------------------------------- report

def fmt_ms(t):
    if t is None:
        return "-"
    med, lo, hi = t
    digits = 3 if med < 10 else 1
    return "%.*f [%.*f-%.*f]" % (digits, med, digits, lo, digits, hi)


def mac_per_cycle(res, t_ms, threads, ghz):
    return res.macs / (t_ms * 1e-3 * ghz * 1e9 * threads)


def geomedian(values):
    return float(np.median(values)) if values else None


def report(results, args, ghz, seconds, versions):
    import onnxruntime as ort
    lines = [
        "# Int8 benchmark: Octet vs onnxruntime and PyTorch",
        "",
        "Generated by `bench/.venv/bin/python bench/bench_int8.py%s` on %s "
        "(Octet source %s, octetc built %s; %s, %s, %d CPUs; onnxruntime "
        "%s; torch %s, quantized engines %s; %.0f s). 1-minute load average "
        "at the start of each model: %.1f-%.1f (this benchmark alone adds "
        "about 1 at 1 thread, 2 at 2; more means other work shared the "
        "CPUs)." % (
            " " + " ".join(args.argv) if args.argv else "",
            datetime.date.today().isoformat(), versions["octet"],
            versions["octetc"],
            platform.machine(), cpu_name(), os.cpu_count(), ort.__version__,
            versions["torch"], versions["engines"], seconds,
            min(versions["loads"]), max(versions["loads"])),
        "",
        "Models: single layers and whole models exported from torch (random "
        "weights, seed 0), quantized once by onnxruntime's `quantize_static` "
        "(MinMax on %d random samples, per-channel s8 weights, u8 "
        "activations) into a QDQ and a QOperator model. *Octet int8*: "
        "`octetc qdq.onnx --cpu=%s` (no `--quantize`: the QDQ model as it "
        "is; the target's fast int8 kernels where the build has them); "
        "*Octet int8 ref*: the same with `--int8-kernels=reference` (the "
        "portable reference kernels); *Octet fp32*: `octetc float.onnx --cpu=%s`; *ORT QOperator* / "
        "*ORT QDQ*: onnxruntime's CPU provider on each file; *torch fbgemm* "
        "/ *torch x86* / *torch qnnpack* (PyPI's torch; Debian's has no "
        "fbgemm, and where PyPI's is not installed the table has Debian's "
        "*torch onednn* and *qnnpack*): the QDQ model's integer weights and "
        "scales in torch's quantized modules with that "
        "`torch.backends.quantized.engine`, run op by op from Python "
        "(qnnpack's x86 kernels are SSE2; at 2 threads with "
        "`OMP_WAIT_POLICY=PASSIVE`, see the script). Float in, float "
        "out everywhere." % (args.calib, args.cpu, args.cpu),
        "",
        "Each engine in its own process pinned to the first T CPUs, T "
        "threads; warm-up, then %d rounds, each running every engine in turn "
        "(rotating order) for about %d ms; ms is the median of the round "
        "medians, [lowest-highest round median]. *MAC/cycle* is per core, "
        "at the core clock measured at the start: **%.2f GHz** "
        "(`bench/core_clock.c`, a dependent-add chain; boost clock, the TSC "
        "is 2.6 GHz); *%% peak* is of %d MAC/cycle per core (AVX-512 VNNI "
        "`vpdpbusd` on Zen 4, docs/x86-int8-kernels.md section 1; 32 for an "
        "AVX2-only build). *MMAC*: multiply-accumulates of the Conv, Gemm and "
        "MatMul ops; GOPS = 2 x MAC / s. Ratios are Octet int8 time over the "
        "peer's (lower is better for Octet; < 1: Octet faster)." % (
            args.rounds, args.round_ms, ghz, PEAK_MAC_PER_CYCLE),
    ]
    engines = [e for e in ENGINES if e in args.engines]
    peers = [e for e in PEERS if e in args.engines]
    summary = []
    for threads in args.threads:
        lines += ["", "## %d thread%s" % (threads, "s" if threads > 1 else ""),
                  "", "Latency, ms [spread]:", "",
                  "| case | MMAC | " + " | ".join(ENGINES[e] for e in engines)
                  + " |", "| --- | ---: |" + " ---: |" * len(engines)]
        for r in results:
            cells = []
            for e in engines:
                t = r.times.get((e, threads))
                cells.append(fmt_ms(t) if t else
                             "failed" if e in r.errors else "-")
            lines.append("| %s | %.1f | %s |" % (r.name, r.macs / 1e6,
                                                 " | ".join(cells)))
        lines += ["", "Octet int8 throughput, the fastest int8 peer, and "
                  "Octet int8 / each engine:", "",
                  "| case | Octet GOPS | Octet MAC/cycle | Octet % peak | "
                  "fastest int8 peer: MAC/cycle (% peak) | " +
                  " | ".join("/ " + ENGINES[e] for e in peers) + " |",
                  "| --- | ---: | ---: | ---: | --- |" + " ---: |" * len(peers)]
        ratios = collections.defaultdict(list)
        for r in results:
            o = r.times.get(("octet-int8", threads))
            if not o or not r.macs:
                continue
            mpc = mac_per_cycle(r, o[0], threads, ghz)
            int8_peers = [(r.times[(e, threads)][0], e) for e in peers
                          if not e.startswith("octet") and
                          (e, threads) in r.times]
            best = ""
            if int8_peers:
                t, e = min(int8_peers)
                b = mac_per_cycle(r, t, threads, ghz)
                best = "%s: %.1f (%.0f%%)" % (ENGINES[e], b,
                                              100 * b / PEAK_MAC_PER_CYCLE)
            cells = []
            for e in peers:
                p = r.times.get((e, threads))
                if p:
                    ratios[e].append(o[0] / p[0])
                    cells.append("%.2f" % (o[0] / p[0]))
                else:
                    cells.append("-")
            lines.append("| %s | %.1f | %.1f | %.1f%% | %s | %s |" % (
                r.name, 2 * r.macs / o[0] / 1e6, mpc,
                100 * mpc / PEAK_MAC_PER_CYCLE, best, " | ".join(cells)))
        med = {e: geomedian(v) for e, v in ratios.items()}
        if med:
            lines += ["", "Median ratio Octet int8 / " + ", ".join(
                "%s **%.2f**" % (ENGINES[e], med[e]) for e in peers
                if med.get(e)) + " (over the rows above)."]
        summary.append((threads, med))

    models = [r for r in results if r.kind == "model"]
    if models:
        lines += ["", "## Whole models: size and memory", "",
                  "Octet: the object's code and constants (`size`: text + "
                  "data) and its arena (`NAME_scratch_bytes`, the one "
                  "buffer the caller passes); onnxruntime: the model files.",
                  "", "| model | Octet int8 object | Octet int8 arena | "
                  "Octet fp32 object | Octet fp32 arena | QDQ .onnx | "
                  "QOperator .onnx | float .onnx | Octet compile s "
                  "(int8 / fp32) |", "| --- |" + " ---: |" * 8]
        for r in models:
            def kb(v):
                return "%.0f KiB" % (v / 1024) if v is not None else "-"
            i8 = r.sizes.get("octet-int8", (None, None))
            f32 = r.sizes.get("octet-fp32", (None, None))
            cs = "%s / %s" % tuple(
                "%.0f" % r.compile_s[(e, args.threads[0])]
                if (e, args.threads[0]) in r.compile_s else "-"
                for e in ("octet-int8", "octet-fp32"))
            lines.append("| %s | %s | %s | %s | %s | %s | %s | %s | %s |" % (
                r.name, kb(i8[0]), kb(i8[1]), kb(f32[0]), kb(f32[1]),
                kb(r.files.get("qdq")), kb(r.files.get("qop")),
                kb(r.files.get("float")), cs))

    agree_engines = [e for e in engines if e not in ("ort-qdq", "octet-fp32")]
    lines += ["", "## Same model?", "",
              "Max |output - ORT QDQ output| on the timing input, in integer "
              "steps of the output's scale (0.00: bit-identical; 1.00: one "
              "rounding step); where the model's output is float (not a "
              "final DequantizeLinear), the SQNR of the output against ORT "
              "QDQ's instead:", "",
              "| case | " + " | ".join(ENGINES[e] for e in agree_engines) +
              " |", "| --- |" + " ---: |" * len(agree_engines)]
    for r in results:
        lines.append("| %s | %s |" % (r.name, " | ".join(
            r.agree.get(e, "-")
            for e in agree_engines)))
    notes = []
    for r in results:
        for e, msg in r.errors.items():
            notes.append("- %s, %s: failed: `%s`" % (r.name, ENGINES[e], msg))
        for e, n in r.notes.items():
            notes.append("- %s, %s: %s" % (r.name, ENGINES[e], "; ".join(n)))
    if notes:
        lines += ["", "Notes:", ""] + notes
    png = os.path.basename(os.path.splitext(args.out)[0] + ".png")
    lines += ["", "![int8 benchmark](%s)" % png]
    return "\n".join(lines) + "\n", summary


def plot(results, args, ghz, path):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("matplotlib is not installed (bash bench/setup_venv.sh): no "
              "plot", file=sys.stderr)
        return False
    engines = [e for e in ENGINES if e in args.engines]
    rows = [r for r in results if r.macs]
    fig, axes = plt.subplots(1, len(args.threads), sharey=True, squeeze=False,
                             figsize=(5.5 + 4.5 * len(args.threads),
                                      2.2 + 0.55 * len(rows)))
    height = 0.8 / len(engines)
    values = []
    for ax, threads in zip(axes[0], args.threads):
        for j, e in enumerate(engines):
            ys, xs = [], []
            for i, r in enumerate(rows):
                t = r.times.get((e, threads))
                if t:
                    ys.append(i + (j - (len(engines) - 1) / 2) * height)
                    xs.append(mac_per_cycle(r, t[0], threads, ghz))
            values += xs
            ax.barh(ys, xs, height, label=ENGINES[e] if ax is axes[0][0]
                    else None)
        ax.axvline(PEAK_MAC_PER_CYCLE, color="k", ls="--", lw=1)
        ax.text(PEAK_MAC_PER_CYCLE * 0.97, -0.6, "int8 peak %d" %
                PEAK_MAC_PER_CYCLE, fontsize=8, ha="right", va="bottom")
        ax.set_xscale("log")
        ax.set_xlabel("MAC/cycle per core at %.2f GHz (log scale)" % ghz)
        ax.set_title("%d thread%s" % (threads, "s" if threads > 1 else ""))
        ax.set_yticks(range(len(rows)))
        ax.set_yticklabels([r.name for r in rows], fontsize=8)
        ax.set_ylim(len(rows) - 0.5, -0.9)
        ax.grid(axis="x", which="both", alpha=0.3)
    if values:
        for ax in axes[0]:
            ax.set_xlim(min(values) / 1.5,
                        max(1.5 * PEAK_MAC_PER_CYCLE, 1.2 * max(values)))
    fig.legend(loc="lower center", ncol=len(engines), fontsize=8,
               frameon=False)
    fig.suptitle("Int8: Octet vs peers on the same quantized models, "
                 "MAC/cycle per core (higher is better)", fontsize=10)
    fig.tight_layout(rect=(0, 0.06, 1, 1))
    fig.savefig(path, dpi=110)
    return True


def torch_version():
    """(version, quantized engines) of the torch the torch engines run."""
    python = TORCH_PYTHON if os.path.exists(TORCH_PYTHON) else sys.executable
    out = subprocess.run(
        [python, "-c", "import torch; print(torch.__version__); print(' '."
         "join(e for e in torch.backends.quantized.supported_engines "
         "if e != 'none'))"], check=True, capture_output=True,
        text=True).stdout.splitlines()
    source = "PyPI" if python == TORCH_PYTHON else "Debian"
    return "%s (%s)" % (out[0], source), out[1].split()


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def binary_time(path):
    """When path was last written (UTC), or "?"."""
    try:
        return datetime.datetime.fromtimestamp(
            os.path.getmtime(path), datetime.timezone.utc).strftime(
                "%Y-%m-%d %H:%M UTC")
    except OSError:
        return "?"


def source_version():
    out = subprocess.run(["git", "-C", ROOT, "describe", "--always",
                          "--dirty"], capture_output=True, text=True)
    return out.stdout.strip() or "unknown"


def main():
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--octetc",
                   default=os.path.join(ROOT, "build", "bin", "octetc"))
    p.add_argument("--octet-flags", default="",
                   help="more octetc flags for every Octet build, "
                        "space-separated")
    p.add_argument("--runtime-lib",
                   default=os.path.join(ROOT, "build", "runtime",
                                        "liboctet_runtime.a"))
    p.add_argument("--cpu", default="native",
                   help="octetc --cpu: native (as onnxruntime, which picks "
                        "its kernels at run time) or x86-64-v3 (AVX2)")
    p.add_argument("--threads", default="1,2",
                   help="thread counts, comma-separated (default 1,2)")
    p.add_argument("--pin-cpus", default="0,1",
                   help="CPUs to pin to; T threads use the first T")
    p.add_argument("--rounds", type=int, default=7)
    p.add_argument("--round-ms", type=float, default=100,
                   help="time per engine per round (ms)")
    p.add_argument("--calib", type=int, default=4,
                   help="calibration samples for quantize_static")
    p.add_argument("--engines", default=",".join(ENGINES),
                   help="engines to run, comma-separated, from: " +
                   ", ".join(ENGINES))
    p.add_argument("--cases", help="only the cases whose names contain one "
                   "of these comma-separated strings")
    p.add_argument("--skip-models", action="store_true",
                   help="leave out the whole models")
    p.add_argument("--quick", action="store_true",
                   help="4 layers, 1 thread, 3 rounds (a smoke test)")
    p.add_argument("--work", help="keep the generated files here")
    p.add_argument("--out", help="the markdown file; the plot goes next to "
                   "it as .png (default: bench/results/int8.md, with --quick "
                   "int8_quick.md)")
    p.add_argument("--worker", help=argparse.SUPPRESS)
    args = p.parse_args()
    pin = [int(c) for c in args.pin_cpus.split(",")]
    if args.worker:
        return worker_main(args.worker, int(args.threads), set(
            pin[:int(args.threads)]))

    args.argv = sys.argv[1:]
    args.octet_flags = args.octet_flags.split()
    args.threads = [int(t) for t in args.threads.split(",")]
    args.engines = [e for e in args.engines.split(",") if e in ENGINES]
    if "octet-int8-ref" in args.engines and "--int8-kernels" not in \
            run_tool([args.octetc, "--help"], retries=30).stdout:
        args.engines.remove("octet-int8-ref")  # only reference kernels yet
    names = list(CASES)
    if not args.out:
        args.out = os.path.join(HERE, "results", "int8_quick.md"
                                if args.quick else "int8.md")
    if args.quick:
        names = QUICK_CASES
        args.rounds = min(args.rounds, 3)
        if "--threads" not in " ".join(args.argv):
            args.threads = [1]
    if args.skip_models:
        names = [n for n in names if CASES[n][0] != "model"]
    if args.cases:
        names = [n for n in names
                 if any(s in n for s in args.cases.split(","))]
    if any(t > len(pin) for t in args.threads):
        sys.exit("--pin-cpus has fewer CPUs than --threads asks for")

    logging.getLogger().setLevel(logging.ERROR)
    import onnxruntime as ort
    ort.set_default_logger_severity(3)
    versions = {"octet": source_version(), "octetc": binary_time(args.octetc)}
    versions["torch"], engines = torch_version()
    versions["engines"] = "/".join(engines)
    allowed = PYPI_TORCH_ENGINES if os.path.exists(TORCH_PYTHON) \
        else DEBIAN_TORCH_ENGINES
    for e in [e for e in args.engines if e.startswith("torch-")]:
        if e not in allowed or e.split("-", 1)[1] not in engines:
            args.engines.remove(e)

    start = time.time()
    work = args.work or tempfile.mkdtemp(prefix="bench_int8.")
    os.makedirs(work, exist_ok=True)
    workers = {}
    results = []
    loads = []
    try:
        # A snapshot of octetc and the runtime: a rebuild during the run
        # must not mix two compilers in one table.
        for attr in ("octetc", "runtime_lib"):
            copy = os.path.join(work, os.path.basename(getattr(args, attr)))
            for attempt in range(30):
                try:
                    shutil.copy2(getattr(args, attr), copy)
                    break
                except OSError as e:
                    if attempt == 29:
                        raise
                    print("waiting for %s (%s)" % (getattr(args, attr), e),
                          file=sys.stderr)
                    time.sleep(10)
            setattr(args, attr, copy)
        ghz = core_clock(work, pin[0])
        print("core clock %.2f GHz" % ghz, file=sys.stderr, flush=True)
        for name in names:
            loads.append(os.getloadavg()[0])
            print("%s (%.0f s)" % (name, time.time() - start),
                  file=sys.stderr, flush=True)
            results.append(run_case(name, args, work, workers,
                                    lambda t: pin[:t]))
    except ToolFailed as e:
        sys.exit(str(e))
    finally:
        for w in workers.values():
            w.close()
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    loads.append(os.getloadavg()[0])
    versions["loads"] = loads
    text, summary = report(results, args, ghz, time.time() - start, versions)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    png = os.path.splitext(args.out)[0] + ".png"
    if not plot(results, args, ghz, png):
        text = text.replace("![int8 benchmark](%s)" % os.path.basename(png),
                            "(no plot: matplotlib is missing)")
    with open(args.out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
