#!/usr/bin/env python3
"""Int8 accuracy: Octet's static post-training quantization (octetc
--quantize=int8) vs onnxruntime's quantize_static (MinMax, per-channel, QDQ,
uint8 activations, int8 weights), on the same models and the same
calibration samples, side by side in one run.

Models: the bundled digits CNN (top-1 accuracy on the 360 held-out digits,
calibrated on 256 training images), and the e2e ResNet-style and
MobileNet-style tiny CNNs, exported as torch folds batch norm and with it
kept (output SQNR in dB against the float model, and top-1 agreement with
it, on standard-normal inputs: a fixed-seed calibration set and a separate
held-out set). Octet: minmax and the histogram methods; onnxruntime: as it
is and after its quant_pre_process. onnxruntime's QDQ models are also
compiled by Octet as they are (no --quantize: its importer reads the Q/DQ
pairs and its optimizer folds DQ -> conv/gemm -> Q into integer ops), and
compared with onnxruntime running the same file: how many outputs are
bit-identical, and which layers Octet runs on integers. Octet's objects run
in one process per build (bench/run_many.c), onnxruntime's models in an
InferenceSession, both at batch 1. Writes markdown tables to
bench/results/quant_accuracy.md and prints them. Not a test: nothing here
passes or fails.

  bash bench/setup_venv.sh
  bench/.venv/bin/python bench/quant_accuracy.py [--work DIR]
"""
import argparse
import collections
import datetime
import logging
import os
import platform
import re
import shutil
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort

try:
    from onnxruntime.quantization import (CalibrationDataReader,
                                          CalibrationMethod, QuantFormat,
                                          QuantType, quantize_static)
    from onnxruntime.quantization.shape_inference import quant_pre_process
except ImportError as e:  # onnxruntime's tools need onnx.reference (1.13+)
    sys.exit("onnxruntime.quantization does not import (%s): run "
             "bash bench/setup_venv.sh for the pinned onnx" % e)

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
# Debian's python3 has torch and sklearn; the venv may not see them.
DEBIAN_PYTHON = "/usr/bin/python3"

# Octet's calibration methods: row label -> octetc flags.
OCTET_METHODS = {
    "minmax": [],
    "histogram, percentile 99.99": ["--observer=histogram",
                                    "--calibration-method=percentile",
                                    "--percentile=99.99"],
    "histogram, mse": ["--observer=histogram", "--calibration-method=mse"],
    "histogram, entropy": ["--observer=histogram",
                           "--calibration-method=entropy"],
}

# Octet's ops for a conv/gemm layer: folded to integers, or left in float.
INTEGER_OPS = ("octet.conv2d_integer", "octet.matmul_integer")
FLOAT_OPS = ("octet.conv2d", "octet.gemm", "octet.matmul")

# The engine column of Octet compiling onnxruntime's QDQ model.
QDQ_ENGINE = "Octet (onnxruntime's QDQ model)"

# e2e models: label -> (models.py name, export with --keep-batch-norm).
E2E_MODELS = {
    "ResNet-style tiny CNN": ("resnet_tiny", False),
    "ResNet-style tiny CNN, BN kept": ("resnet_tiny", True),
    "MobileNet-style tiny CNN": ("mobile_tiny", False),
    "MobileNet-style tiny CNN, BN kept": ("mobile_tiny", True),
}


class Case:
    """One model: its ONNX file, calibration and held-out samples (each
    stacked along a leading axis, every sample shaped like the model input),
    and the held-out labels (None: the float model's top-1 stands in)."""

    def __init__(self, name, onnx_path, calib, heldout, labels=None):
        self.name = name
        self.onnx_path = onnx_path
        self.calib = calib
        self.heldout = heldout
        self.labels = labels


class ToolFailed(Exception):
    """A command exited non-zero; the message holds its output."""


def run_tool(cmd, retries=0):
    """Runs cmd, raising ToolFailed with its output if it fails. A rebuild
    may replace octetc while we run: with retries, a missing binary is
    waited for."""
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


def slug(text):
    """A folder name for a model or method label."""
    return "".join(c if c.isalnum() or c == "." else "_" for c in text)


def input_shape(onnx_path):
    shape = ort.InferenceSession(
        onnx_path, providers=["CPUExecutionProvider"]).get_inputs()[0].shape
    return tuple(shape)


def prepare_digits(work):
    out = os.path.join(work, "digits")
    os.makedirs(out, exist_ok=True)
    run_tool([DEBIAN_PYTHON,
              os.path.join(ROOT, "examples", "digits", "train_digits.py"),
              "--data-only", "--calibration", "256", "--out", out])
    path = os.path.join(ROOT, "examples", "digits", "digits_cnn.onnx")
    shape = input_shape(path)
    calib = np.load(os.path.join(out, "calibration.npy"))
    heldout = np.fromfile(os.path.join(out, "heldout.bin"), np.float32)
    labels = np.fromfile(os.path.join(out, "heldout_labels.bin"), np.uint8)
    return Case("digits CNN", path, calib.reshape((-1,) + shape),
                heldout.reshape((-1,) + shape), labels)


def prepare_e2e(work, label, model, keep_bn, num_calib, num_heldout):
    path = os.path.join(work, model + ("_bn" if keep_bn else "") + ".onnx")
    export = os.path.join(ROOT, "test", "e2e", "export_model.py")
    run_tool([DEBIAN_PYTHON, export, model, path] +
             (["--keep-batch-norm"] if keep_bn else []))
    shape = input_shape(path)
    # models.py draws its example inputs from torch.randn; these come from
    # the same distribution, with seeds of their own for the two sets.
    calib = np.random.default_rng(1).standard_normal((num_calib,) + shape)
    heldout = np.random.default_rng(2).standard_normal((num_heldout,) + shape)
    return Case(label, path, calib.astype(np.float32),
                heldout.astype(np.float32))


def ort_run(path, samples):
    """Outputs of the model at path for each sample, stacked, flattened."""
    opts = ort.SessionOptions()
    opts.intra_op_num_threads = 1
    sess = ort.InferenceSession(path, opts, providers=["CPUExecutionProvider"])
    name = sess.get_inputs()[0].name
    return np.stack([sess.run(None, {name: x})[0].ravel() for x in samples])


class SampleReader(CalibrationDataReader):
    def __init__(self, name, samples):
        self.feeds = iter([{name: x} for x in samples])

    def get_next(self):
        return next(self.feeds, None)


def ort_quantize(case, out_dir, preprocess):
    """quantize_static as the issue names it; returns the QDQ model's path."""
    src = case.onnx_path
    if preprocess:
        src = os.path.join(out_dir, "preprocessed.onnx")
        quant_pre_process(case.onnx_path, src)
    name = ort.InferenceSession(
        src, providers=["CPUExecutionProvider"]).get_inputs()[0].name
    dst = os.path.join(out_dir, "int8.onnx")
    quantize_static(src, dst, SampleReader(name, case.calib),
                    quant_format=QuantFormat.QDQ, per_channel=True,
                    activation_type=QuantType.QUInt8,
                    weight_type=QuantType.QInt8,
                    calibrate_method=CalibrationMethod.MinMax)
    return dst


def octet_run(octetc, onnx_path, case, out_dir, flags):
    """Compiles onnx_path with octetc and flags, links run_many.c, and runs
    the held-out samples; returns the outputs stacked, flattened."""
    os.makedirs(out_dir, exist_ok=True)
    stem = os.path.join(out_dir, "model")
    run_tool([octetc, onnx_path, "-o", stem, "--name=model"] + flags,
             retries=30)
    exe = stem + ".run_many"
    run_tool(["cc", "-std=c11", "-O2", "-DMODEL_HEADER=\"%s.h\"" % stem,
              "-DMODEL=model", os.path.join(HERE, "run_many.c"), stem + ".o",
              "-o", exe])
    inputs, outputs = stem + ".inputs.bin", stem + ".outputs.bin"
    case.heldout.tofile(inputs)
    run_tool([exe, inputs, outputs])
    return np.fromfile(outputs, np.float32).reshape(len(case.heldout), -1)


def sqnr_db(ref, y):
    noise = np.sum((ref.astype(np.float64) - y) ** 2)
    return float("inf") if noise == 0 else float(
        10 * np.log10(np.sum(ref.astype(np.float64) ** 2) / noise))


def top1(case, reference, y):
    """Top-1 accuracy against the labels, or agreement with the float
    reference's top-1 where the model has no labels."""
    truth = case.labels if case.labels is not None else reference.argmax(1)
    return float(np.mean(y.argmax(1) == truth))


def output_scale(qdq_path):
    """The scale of the DequantizeLinear producing the QDQ model's output
    (one integer step of it), or None."""
    model = onnx.load(qdq_path)
    output = model.graph.output[0].name
    node = next((n for n in model.graph.node if output in n.output), None)
    if node is None or node.op_type != "DequantizeLinear":
        return None
    init = {i.name: i for i in model.graph.initializer}
    scale = init.get(node.input[1])
    return float(onnx.numpy_helper.to_array(scale)) if scale else None


def octet_layers(octetc, qdq_path):
    """How Octet compiles the QDQ model's layers: a Counter of (Octet op,
    ONNX op type) over the integer and float conv/gemm/matmul ops of its
    optimized IR. The debug locations name the ONNX node each op came from
    (pooling, for one, becomes a conv2d_integer too)."""
    ir = run_tool([octetc, qdq_path, "--emit=mlir", "--mlir-print-debuginfo",
                   "-o", "-"], retries=30).stdout
    names = dict(re.findall(r'^(#loc\d+) = loc\("([^"]*)"', ir, re.M))
    op_types = {n.name: n.op_type for n in onnx.load(qdq_path).graph.node}
    counts = collections.Counter()
    for op, loc in re.findall(
            r'= (octet\.\w+) .*loc\((#loc\d+|"[^"]*")', ir):
        if op in INTEGER_OPS + FLOAT_OPS:
            name = names.get(loc, loc.strip('"'))
            counts[(op, op_types.get(name, "?"))] += 1
    return counts


class Agreement:
    """Octet vs onnxruntime on the same QDQ file: element-wise agreement of
    their outputs, and Octet's layers; or the error if Octet failed."""

    def __init__(self, method, ort_out=None, octet_out=None, step=None,
                 layers=None, error=None):
        self.method = method
        self.error = error
        self.layers = layers
        if error is None:
            diff = np.abs(octet_out.astype(np.float64) - ort_out)
            self.count = octet_out.size
            self.identical = float(np.mean(octet_out == ort_out))
            self.max_diff = float(diff.max())
            self.steps = self.max_diff / step if step else None
            self.sqnr = sqnr_db(ort_out, octet_out)


def octet_on_qdq(octetc, qdq_path, case, out_dir, method, ort_out):
    """Compiles onnxruntime's QDQ model with Octet (no --quantize) and runs
    it; returns its outputs (None if it failed) and the Agreement."""
    try:
        y = octet_run(octetc, qdq_path, case, out_dir, [])
        layers = octet_layers(octetc, qdq_path)
    except ToolFailed as e:
        return None, Agreement(method, error=str(e))
    return y, Agreement(method, ort_out, y, output_scale(qdq_path), layers)


def evaluate(case, octetc, work):
    """Rows (engine, calibration, float top-1, int8 top-1, int8 SQNR) for one
    model, the SQNR of Octet's float build against onnxruntime's, and the
    Agreements of Octet with onnxruntime on onnxruntime's QDQ models."""
    model_dir = os.path.join(work, slug(case.name))
    os.makedirs(model_dir, exist_ok=True)
    calib_npy = os.path.join(model_dir, "calibration.npy")
    np.save(calib_npy, case.calib)
    reference = ort_run(case.onnx_path, case.heldout)

    def row(engine, method, float_out, int8_out):
        return (engine, method, top1(case, reference, float_out),
                top1(case, reference, int8_out), sqnr_db(reference, int8_out))

    octet_float = octet_run(octetc, case.onnx_path, case,
                            os.path.join(model_dir, "octet_float"), [])
    rows = []
    for method, flags in OCTET_METHODS.items():
        y = octet_run(octetc, case.onnx_path, case,
                      os.path.join(model_dir, "octet_" + slug(method)),
                      ["--quantize=int8", "--calibration-data", calib_npy]
                      + flags)
        rows.append(row("Octet", method, octet_float, y))
    qdq_rows, agreements = [], []
    for preprocess in (False, True):
        out_dir = os.path.join(model_dir, "ort_pre" if preprocess else "ort")
        os.makedirs(out_dir, exist_ok=True)
        qdq_path = ort_quantize(case, out_dir, preprocess)
        y = ort_run(qdq_path, case.heldout)
        method = "MinMax, quant_pre_process" if preprocess else "MinMax"
        rows.append(row("onnxruntime", method, reference, y))
        # The same file through Octet: its float top-1 is Octet's float.
        y_octet, agreement = octet_on_qdq(
            octetc, qdq_path, case, os.path.join(out_dir, "octet"), method, y)
        agreements.append(agreement)
        if y_octet is not None:
            qdq_rows.append(row(QDQ_ENGINE, method, octet_float, y_octet))
    return rows + qdq_rows, sqnr_db(reference, octet_float), agreements


def percent(x, n):
    return "%.2f%% (%d/%d)" % (100 * x, round(x * n), n)


def verdict(case, rows):
    """Whether Octet's minmax is at least as good as the better onnxruntime
    row, on the model's own metric: top-1 where there are labels, else
    output SQNR."""
    octet = next(r for r in rows if r[:2] == ("Octet", "minmax"))
    ort_rows = [r for r in rows if r[0] == "onnxruntime"]
    if case.labels is not None:
        best = max(ort_rows, key=lambda r: (r[3], r[4]))
        ok = octet[3] >= best[3]
        what = "top-1 %.2f%% vs %.2f%% (output SQNR %.2f vs %.2f dB)" % (
            100 * octet[3], 100 * best[3], octet[4], best[4])
    else:
        best = max(ort_rows, key=lambda r: r[4])
        ok = octet[4] >= best[4]
        what = "output SQNR %.2f vs %.2f dB (%+.2f dB)" % (
            octet[4], best[4], octet[4] - best[4])
    return "- %s: %s; Octet minmax vs onnxruntime %s: %s" % (
        case.name, "**yes**" if ok else "**no**", best[1], what)


def op_summary(counts, ops, always):
    """'4 conv2d_integer (3 Conv, 1 GlobalAveragePool)' for each of ops in
    counts (or with a count of 0, if always); 'none' for nothing."""
    parts = []
    for op in ops:
        by_type = sorted((t, n) for (o, t), n in counts.items() if o == op)
        total = sum(n for _, n in by_type)
        if total or always:
            parts.append("%d %s" % (total, op.split(".", 1)[1]) + (
                " (%s)" % ", ".join("%d %s" % (n, t) for t, n in by_type)
                if by_type else ""))
    return "; ".join(parts) or "none"


def agreement_lines(results):
    """The table of Octet vs onnxruntime on onnxruntime's QDQ files, and the
    full error of any that Octet failed to compile or run."""
    lines = [
        "## Octet on onnxruntime's QDQ models",
        "",
        "onnxruntime's QDQ files (the two *onnxruntime* rows of each model) "
        "compiled by Octet as they are (`octetc int8.onnx`, no `--quantize`:"
        " the importer reads QuantizeLinear/DequantizeLinear, the optimizer "
        "folds DQ -> Conv/Gemm/MatMul -> Q into `conv2d_integer`/"
        "`matmul_integer` with ONNX's requantization); the *%s* rows above. "
        "Here Octet's output is compared with onnxruntime's on the same file "
        "and held-out inputs, element by element (the output is the model's "
        "final DequantizeLinear, so one integer step is its scale); *SQNR* is "
        "Octet's output against onnxruntime's. The last two columns count "
        "the conv/gemm/matmul ops of Octet's optimized IR (`--emit=mlir`), "
        "each with the ONNX op it came from (its debug location): folded to "
        "integers, or left in float (dequantize -> float op -> quantize)."
        % QDQ_ENGINE,
        "",
        "| model | QDQ model | bit-identical output values | max abs diff | "
        "SQNR vs onnxruntime (dB) | Octet's integer ops | float ops left |",
        "| --- | --- | ---: | ---: | ---: | --- | --- |",
    ]
    errors = []
    for case, _, _, agreements in results:
        for a in agreements:
            if a.error is not None:
                errors.append("%s, %s: %s" % (case.name, a.method, a.error))
                lines.append("| %s | %s | Octet failed: %s | | | | |" % (
                    case.name, a.method,
                    a.error.splitlines()[-1].replace("|", "\\|")))
                continue
            diff = "%.4g" % a.max_diff + (
                " (%.2f steps)" % a.steps if a.steps is not None else "")
            lines.append("| %s | %s | %s | %s | %.1f | %s | %s |" % (
                case.name, a.method,
                percent(a.identical, a.count), diff, a.sqnr,
                op_summary(a.layers, INTEGER_OPS, True),
                op_summary(a.layers, FLOAT_OPS, False)))
    for error in errors:
        lines += ["", "```", error.rstrip(), "```"]
    return lines


def report(results, args, seconds):
    lines = [
        "# Int8 accuracy: Octet vs onnxruntime quantize_static",
        "",
        "Generated by `bench/.venv/bin/python bench/quant_accuracy.py` on %s "
        "(Octet source %s, %s, %s; onnxruntime %s; %.0f s)." % (
            datetime.date.today().isoformat(), source_version(),
            platform.machine(), cpu_name(), ort.__version__, seconds),
        "",
        "Both quantize statically: uint8 asymmetric activations, int8 weights "
        "per output channel, ranges calibrated on the same samples. "
        "onnxruntime: `quantize_static(quant_format=QDQ, per_channel=True, "
        "activation_type=QUInt8, weight_type=QInt8, "
        "calibrate_method=MinMax)`, on the model as it is and after "
        "`quant_pre_process` (shape inference and graph optimization, which "
        "folds batch norm), run by its CPU provider. Octet: `octetc "
        "--quantize=int8 --calibration-data` with the calibration method "
        "named. *%s*: onnxruntime's two QDQ files compiled by Octet (see "
        "below). *float* and *int8* are each engine's own float and int8 "
        "builds; *SQNR* is `10 log10(sum y^2 / sum (y - yq)^2)` of the int8 "
        "output against onnxruntime's float output over the held-out set."
        % QDQ_ENGINE,
        "",
        "- digits CNN: top-1 accuracy on the 360 held-out digits; "
        "calibration: the first 256 training images.",
        "- tiny CNNs (test/e2e/models.py, random weights, 1x3x16x16): "
        "top-1 *agreement* with the float model, and SQNR, on %d held-out "
        "standard-normal inputs (seed 2); calibration: %d others (seed 1)."
        % (args.heldout, args.calib),
        "",
        "| model | engine | calibration | float top-1 | int8 top-1 | "
        "delta | int8 SQNR (dB) |",
        "| --- | --- | --- | ---: | ---: | ---: | ---: |",
    ]
    for case, rows, _, _ in results:
        n = len(case.heldout)
        for engine, method, f, q, s in rows:
            lines.append("| %s | %s | %s | %s | %s | %+.2f pp | %.1f |" % (
                case.name, engine, method, percent(f, n), percent(q, n),
                100 * (q - f), s))
    lines += ["", "Octet's float build against onnxruntime's float output "
              "(SQNR, dB): " + ", ".join(
                  "%s %.1f" % (case.name, s) for case, _, s, _ in results)
              + ".",
              "", "Is Octet's minmax at least as good as onnxruntime's "
              "(the better of its two rows)?", ""]
    lines += [verdict(case, rows) for case, rows, _, _ in results]
    lines += [""] + agreement_lines(results)
    return "\n".join(lines) + "\n"


def source_version():
    """The tree octetc was presumably built from ("-dirty": with changes)."""
    result = subprocess.run(["git", "-C", ROOT, "describe", "--always",
                             "--dirty"], capture_output=True, text=True)
    return result.stdout.strip() or "unknown"


def cpu_name():
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown CPU"


def main():
    p = argparse.ArgumentParser(
        description=__doc__,
        formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--work", help="keep the generated files here "
                   "(default: a temporary folder, removed)")
    p.add_argument("--octetc",
                   default=os.path.join(ROOT, "build", "bin", "octetc"))
    p.add_argument("--calib", type=int, default=64,
                   help="calibration samples for the tiny CNNs")
    p.add_argument("--heldout", type=int, default=256,
                   help="held-out samples for the tiny CNNs")
    p.add_argument("--out", default=os.path.join(HERE, "results",
                                                 "quant_accuracy.md"))
    args = p.parse_args()
    # quantize_static logs advice (pre-processing) that the table acts on,
    # and onnxruntime warns about the initializers its optimizer drops.
    logging.getLogger().setLevel(logging.ERROR)
    ort.set_default_logger_severity(3)

    start = time.time()
    work = args.work or tempfile.mkdtemp(prefix="quant_accuracy.")
    os.makedirs(work, exist_ok=True)
    try:
        cases = [prepare_digits(work)]
        for label, (model, keep_bn) in E2E_MODELS.items():
            cases.append(prepare_e2e(work, label, model, keep_bn, args.calib,
                                     args.heldout))
        results = []
        for case in cases:
            results.append((case,) + evaluate(case, args.octetc, work))
            print("%s: done (%.0f s)" % (case.name, time.time() - start),
                  file=sys.stderr, flush=True)
    except ToolFailed as e:
        sys.exit(str(e))
    finally:
        if not args.work:
            shutil.rmtree(work, ignore_errors=True)
    text = report(results, args, time.time() - start)
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        f.write(text)
    print(text)


if __name__ == "__main__":
    main()
