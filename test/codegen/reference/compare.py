#!/usr/bin/env python3
"""Checks what an `mlir-runner` test printed against numpy references.

Usage: mlir-runner ... | compare.py TEST.mlir

TEST.mlir states its inputs as one-line `%name = arith.constant dense<...> :
tensor<...>` ops, and what it prints as `// EXPECT: <python expression>`
lines, one per printed memref, in print order. Each expression is evaluated
with numpy (`np`), the reference kernels of `onnx_ref` and the input
constants (by name, without `%`) in scope.

`// EXPECT atol=1e-5: ...` sets the tolerance (maximum absolute error);
without it the result must match exactly. Floating-point results are
printed as their int32 bit patterns (printMemrefF32 keeps only six digits),
so the comparison sees every bit. The script reports the maximum absolute
error of every expectation and exits non-zero on any mismatch.
"""

import ast
import os
import re
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import onnx_ref  # noqa: E402

DTYPES = {
    "f32": np.float32, "f64": np.float64, "i64": np.int64, "i32": np.int32,
    "i8": np.int8, "ui8": np.uint8, "i1": np.bool_,
}

CONSTANT = re.compile(
    r"%(\w+)\s*=\s*arith\.constant\s+dense<(.*)>\s*:\s*tensor<([^>]*)>")
EXPECT = re.compile(r"//\s*EXPECT(?:\s+atol=([0-9.eE+-]+))?:\s*(.*)$")
MEMREF = re.compile(r"Unranked Memref .*?sizes = \[([^\]]*)\].*?data =\s*\n")
NUMBER = re.compile(r"-?(?:nan|inf|\d+(?:\.\d*)?(?:[eE][+-]?\d+)?)")


def parse_constant(literal, type_text):
    *dims, elem = type_text.split("x")
    shape = tuple(int(d) for d in dims)
    dtype = DTYPES[elem]
    value = ast.literal_eval(literal.replace("true", "True")
                             .replace("false", "False"))
    array = np.array(value, dtype=dtype)
    return np.broadcast_to(array, shape).copy() if array.ndim == 0 else array


def parse_test(path):
    constants, expects = {}, []
    with open(path) as f:
        for line in f:
            if m := EXPECT.search(line):
                expects.append((float(m.group(1) or 0.0), m.group(2).strip()))
            elif m := CONSTANT.search(line):
                constants[m.group(1)] = parse_constant(m.group(2), m.group(3))
    return constants, expects


def parse_output(text):
    """Returns the printed memrefs, in order, as int64 arrays."""
    results = []
    matches = list(MEMREF.finditer(text))
    for i, m in enumerate(matches):
        end = matches[i + 1].start() if i + 1 < len(matches) else len(text)
        sizes = [int(s) for s in m.group(1).split(",") if s.strip()]
        values = [int(v) for v in NUMBER.findall(text[m.end():end])]
        results.append(np.array(values, dtype=np.int64).reshape(sizes))
    return results


def main():
    constants, expects = parse_test(sys.argv[1])
    printed = parse_output(sys.stdin.read())
    scope = dict(constants, np=np, ref=onnx_ref)
    failures = 0
    if len(printed) != len(expects):
        print(f"FAIL: {len(printed)} memrefs printed, "
              f"{len(expects)} expectations")
        failures += 1
    for (atol, expr), got in zip(expects, printed):
        want = np.asarray(eval(expr, scope))
        if np.issubdtype(want.dtype, np.floating):
            got = got.astype(np.int32).view(np.float32).astype(np.float64)
            want = want.astype(np.float64)
        got = got.reshape(-1)
        if got.size != want.size:
            print(f"FAIL {expr}: {got.size} values printed, "
                  f"{want.size} expected")
            failures += 1
            continue
        want = want.reshape(-1)
        same_nan = np.isnan(got) == np.isnan(want) if want.dtype.kind == "f" \
            else np.ones(got.shape, bool)
        err = np.abs(np.where(same_nan, 0, np.inf) +
                     np.nan_to_num(got - want, nan=0.0))
        max_err = float(err.max()) if err.size else 0.0
        ok = max_err <= atol
        print(f"{'ok  ' if ok else 'FAIL'} max abs error {max_err:.3g} "
              f"(atol {atol:g}, {want.size} values): {expr}")
        if not ok:
            bad = int(np.argmax(err))
            print(f"     first worst at flat index {bad}: got {got[bad]}, "
                  f"want {want[bad]}")
            failures += 1
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
