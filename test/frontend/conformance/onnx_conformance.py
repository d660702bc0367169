#!/usr/bin/env python3
"""Imports every model of ONNX's backend test data with octetc.

Records, per model, whether it imports and why not, compares that with the
checked-in expectation (expected-import.txt) and prints the counts. Any
difference fails: a regression, or a model that now imports and should be
added to the list (run with --update to rewrite it).
"""
import argparse
import concurrent.futures
import os
import subprocess
import sys

SUITES = ["node", "pytorch-converted", "pytorch-operator", "simple"]
DEFAULT_ROOT = "/usr/share/libonnx-testdata/data"


def frozen_inputs(model):
    """--freeze-input flags for the inputs an AOT compile fixes.

    Backend tests pass shapes, axes, bounds and flags as graph inputs; an
    ahead-of-time compiler takes those as compile-time constants. Inputs that
    are integers, booleans, single values or short vectors after the first
    input (scales, zero points) are frozen to the test's own values
    (test_data_set_0); float data stays a runtime input.
    """
    import onnx
    proto = onnx.load(model, load_external_data=False)
    initializers = {t.name for t in proto.graph.initializer}
    runtime = [i for i in proto.graph.input if i.name not in initializers]
    data_dir = os.path.join(os.path.dirname(model), "test_data_set_0")
    flags = []
    for index, value in enumerate(runtime):
        path = os.path.join(data_dir, "input_%d.pb" % index)
        tensor_type = value.type.tensor_type
        if not os.path.exists(path) or not value.type.HasField("tensor_type"):
            continue
        dims = [d.dim_value for d in tensor_type.shape.dim]
        small = tensor_type.HasField("shape") and all(d == 1 for d in dims)
        integral = tensor_type.elem_type in (
            onnx.TensorProto.INT64, onnx.TensorProto.INT32,
            onnx.TensorProto.BOOL)
        # Quantization parameters (scales, zero points) are small too.
        few = tensor_type.HasField("shape") and index > 0 and \
            len(dims) <= 1 and all(0 < d <= 16 for d in dims)
        if integral or small or few:
            flags += ["--freeze-input", "%s=%s" % (value.name, path)]
    return flags


def import_model(octetc, model):
    """Returns (ok, reason)."""
    try:
        proc = subprocess.run([octetc, model, "--emit=mlir", "-o", os.devnull]
                              + frozen_inputs(model),
                              capture_output=True, text=True, timeout=120)
    except subprocess.TimeoutExpired:
        return False, "timeout"
    if proc.returncode == 0:
        return True, ""
    if proc.returncode < 0:
        return False, "crashed with signal %d" % -proc.returncode
    errors = [l for l in proc.stderr.splitlines() if "error:" in l]
    reason = errors[0].split("error:", 1)[1].strip() if errors else "no message"
    if reason.startswith("unsupported ONNX ops"):
        # Keep the op list, which is the reason: the lines after the header.
        ops = [l.strip().split(" x")[0] for l in proc.stderr.splitlines()
               if l.startswith("  ")]
        reason = "unsupported ONNX ops: " + ", ".join(ops)
    return False, reason


def run_model(octet_run, model):
    """Runs an importable model on its test data; returns (ok, reason)."""
    try:
        proc = subprocess.run([octet_run, model, "--test-data",
                               os.path.dirname(model)] + frozen_inputs(model),
                              capture_output=True, text=True, timeout=300)
    except subprocess.TimeoutExpired:
        return False, "timeout"
    if proc.returncode == 0:
        return True, ""
    if proc.returncode < 0:
        return False, "crashed with signal %d" % -proc.returncode
    lines = [l for l in (proc.stdout + proc.stderr).splitlines()
             if "MISMATCH" in l or "error:" in l]
    return False, (lines[0].split("error:", 1)[-1].strip() if lines
                   else "exit %d" % proc.returncode)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--octetc", required=True)
    parser.add_argument("--root", default=DEFAULT_ROOT)
    parser.add_argument("--expected", default=os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "expected-import.txt"))
    parser.add_argument("--update", action="store_true",
                        help="rewrite the expectation from this run")
    parser.add_argument("--octet-run",
                        help="also run every importable model on its test "
                             "data and compare with expected-run.txt")
    parser.add_argument("-j", type=int, default=os.cpu_count() or 2)
    args = parser.parse_args()

    models = []
    for suite in SUITES:
        suite_dir = os.path.join(args.root, suite)
        for name in sorted(os.listdir(suite_dir)):
            path = os.path.join(suite_dir, name, "model.onnx")
            if os.path.exists(path):
                models.append((suite + "/" + name, path))
    if not models:
        print("no models found under " + args.root)
        return 1

    with concurrent.futures.ThreadPoolExecutor(args.j) as pool:
        results = list(pool.map(lambda m: import_model(args.octetc, m[1]),
                                models))
    rows = [(("import" if ok else "refuse"), key, reason)
            for (key, _), (ok, reason) in zip(models, results)]

    # A failure that is not a documented refusal of an unsupported op is a
    # bug: models whose ops are all in the dialect must import.
    crashes = [r for r in rows if r[2].startswith(("crashed", "timeout"))]
    imported = sum(1 for r in rows if r[0] == "import")
    unsupported = sum(1 for r in rows if r[2].startswith("unsupported ONNX ops"))
    other = len(rows) - imported - unsupported
    print("ONNX backend models: %d imported, %d refused for unsupported ops, "
          "%d refused for other reasons (listed in %s)"
          % (imported, unsupported, other, os.path.basename(args.expected)))

    run_failed = 0
    if args.octet_run:
        importable = [(key, path) for (key, path), row in zip(models, rows)
                      if row[0] == "import"]
        with concurrent.futures.ThreadPoolExecutor(args.j) as pool:
            ran = list(pool.map(lambda m: run_model(args.octet_run, m[1]),
                                importable))
        run_rows = [(("pass" if ok else "fail"), key, reason)
                    for (key, _), (ok, reason) in zip(importable, ran)]
        passed = sum(1 for r in run_rows if r[0] == "pass")
        print("executed %d importable models: %d match the reference outputs"
              % (len(run_rows), passed))
        run_expected = os.path.join(os.path.dirname(args.expected),
                                    "expected-run.txt")
        if args.update:
            with open(run_expected, "w") as f:
                f.write("# status\tmodel\treason (onnx_conformance.py "
                        "--octet-run ... --update)\n")
                for row in run_rows:
                    f.write("\t".join(row).rstrip() + "\n")
        else:
            want = {}
            with open(run_expected) as f:
                for line in f:
                    if line.startswith("#") or not line.strip():
                        continue
                    parts = line.rstrip("\n").split("\t")
                    want[parts[1]] = parts[0]
            for r in run_rows:
                if r[0] != "pass" and want.get(r[1]) == "pass":
                    print("RUN REGRESSION: %s: %s" % (r[1], r[2]))
                    run_failed += 1
                elif r[0] == "pass" and want.get(r[1]) != "pass":
                    print("RUN NEW: %s passes now; run with --update" % r[1])
                    run_failed += 1
                elif r[2].startswith(("crashed", "timeout")):
                    print("RUN CRASH: %s: %s" % (r[1], r[2]))
                    run_failed += 1

    if args.update:
        with open(args.expected, "w") as f:
            f.write("# status\tmodel\treason (generated by onnx_conformance.py "
                    "--update)\n")
            for row in rows:
                f.write("\t".join(row).rstrip() + "\n")
        print("wrote " + args.expected)
        return 1 if crashes else 0

    expected = {}
    with open(args.expected) as f:
        for line in f:
            if line.startswith("#") or not line.strip():
                continue
            parts = line.rstrip("\n").split("\t")
            expected[parts[1]] = parts[0]
    regressions = [r for r in rows if r[0] != "import"
                   and expected.get(r[1]) == "import"]
    improvements = [r for r in rows if r[0] == "import"
                    and expected.get(r[1]) != "import"]
    for r in crashes:
        print("CRASH: %s: %s" % (r[1], r[2]))
    for r in regressions:
        print("REGRESSION: %s no longer imports: %s" % (r[1], r[2]))
    for r in improvements:
        print("NEW: %s imports now; run with --update" % r[1])
    failed = len(crashes) + len(regressions) + len(improvements) + run_failed
    print("%d passed, %d failed" % (len(rows) - failed, failed))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
