#!/usr/bin/python3
"""Writes the malformed-model corpus for Octet's ONNX importer.

    generate.py OUT_DIR          every bad model (and the few valid ones the
                                 external-data tests need) into OUT_DIR
    generate.py --seeds DIR      small valid models, a seed corpus for fuzzing

Models are built with onnx.helper and then broken at the protobuf level
(fields set to what a hand-edited or damaged file could hold), or at the byte
level (truncation, random bytes). The output is deterministic: the same
files, byte for byte, on every run. The lit tests next to this script run it
into their %t directory and check octetc's message for each case.

Needs Debian's python3-onnx (1.12) and numpy; run it with /usr/bin/python3.
"""

import argparse
import os
import random
import shutil
import sys

import numpy as np
import onnx
from onnx import AttributeProto, TensorProto, helper, numpy_helper

FLOAT = TensorProto.FLOAT
INT64 = TensorProto.INT64


# --- building blocks ----------------------------------------------------------


def make(nodes, inputs, outputs, inits=(), opset=17, ir_version=8,
         opsets=None):
    """A model of one graph; `opsets` replaces the default-domain import."""
    graph = helper.make_graph(list(nodes), "g", list(inputs), list(outputs),
                              list(inits))
    if opsets is None:
        opsets = [("", opset)]
    model = helper.make_model(
        graph, opset_imports=[helper.make_opsetid(d, v) for d, v in opsets])
    model.ir_version = ir_version
    model.producer_name = "octet-malformed-corpus"
    return model


def tin(name, shape, elem=FLOAT):
    return helper.make_tensor_value_info(name, elem, shape)


def sym(name, rank, elem=FLOAT):
    """A graph output of `rank` symbolic dimensions (ONNX's checker wants a
    shape on every graph output)."""
    return tin(name, ["d%d" % i for i in range(rank)], elem)


def relu_model():
    """y = Relu(x): the smallest valid model."""
    return make([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                [tin("x", [2, 3])], [tin("y", [2, 3])])


def conv_model():
    """A conv with weights and bias: the valid model the truncations cut."""
    w = numpy_helper.from_array(
        np.arange(2 * 3 * 3 * 3, dtype=np.float32).reshape(2, 3, 3, 3) / 10,
        "w")
    b = numpy_helper.from_array(np.array([0.5, -0.5], np.float32), "b")
    conv = helper.make_node("Conv", ["x", "w", "b"], ["c"], name="conv",
                            pads=[1, 1, 1, 1], strides=[1, 1])
    relu = helper.make_node("Relu", ["c"], ["y"], name="relu")
    return make([conv, relu], [tin("x", [1, 3, 4, 4])],
                [tin("y", [1, 2, 4, 4])], [w, b])


def add_init_model(init):
    """y = x + init, where `init` is the tensor under test."""
    shape = list(init.dims)
    node = helper.make_node("Add", ["x", init.name], ["y"], name="add")
    return make([node], [tin("x", shape, init.data_type)],
                [tin("y", shape, init.data_type)], [init])


def raw_float_tensor(name, dims, nbytes):
    t = TensorProto()
    t.name = name
    t.data_type = FLOAT
    t.dims.extend(dims)
    t.raw_data = bytes(range(nbytes))
    return t


def write(out, name, data):
    path = os.path.join(out, name)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    if isinstance(data, onnx.ModelProto):
        data = data.SerializeToString()
    if isinstance(data, str):
        data = data.encode()
    with open(path, "wb") as f:
        f.write(data)


def parses(data):
    try:
        onnx.ModelProto().ParseFromString(data)
        return True
    except Exception:  # google.protobuf.message.DecodeError
        return False


# --- parse: bytes that are not a model -----------------------------------------


def gen_parse(out):
    write(out, "empty.onnx", b"")

    rng = random.Random(20240501)
    noise = bytes(rng.getrandbits(8) for _ in range(512))
    assert not parses(noise), "random-bytes.onnx must not parse"
    write(out, "random-bytes.onnx", noise)

    # A valid model cut short: inside the header, inside the graph (in the
    # middle of the weights) and one byte before the end.
    whole = conv_model().SerializeToString()
    write(out, "valid-conv.onnx", whole)
    for name, cut in (("truncated-3", 3), ("truncated-half", len(whole) // 2),
                      ("truncated-minus-1", len(whole) - 1)):
        assert not parses(whole[:cut]), name + " must not parse"
        write(out, name + ".onnx", whole[:cut])

    model = conv_model()
    model.ClearField("graph")
    write(out, "no-graph.onnx", model)

    write(out, "text-syntax.onnxtxt",
          '<ir_version: 8, opset_import: ["" : 17]>\n'
          "g (float[2] x) => (float[2] y)\n"
          "{\n  y = Relu (x\n}\n")
    text = ('<ir_version: 8, opset_import: ["" : 17]>\n'
            "g (float[2] x) => (float[2] y)\n{\n  y = Relu (x)\n}\n")
    write(out, "text-truncated.onnxtxt", text[:text.index("Relu")])
    # A dimension that does not fit in int64.
    write(out, "text-dim-overflow.onnxtxt",
          '<ir_version: 8, opset_import: ["" : 17]>\n'
          "g (float[99999999999999999999] x) => (float[2] y)\n"
          "{\n  y = Relu (x)\n}\n")
    # Binary protobuf under a text extension is read as text.
    write(out, "binary-as-text.onnxtxt", relu_model().SerializeToString())



# --- tensors: data, dims and element types --------------------------------------


def gen_tensors(out):
    # raw_data of a float[2,3] must be 24 bytes.
    write(out, "raw-data-short.onnx",
          add_init_model(raw_float_tensor("w", [2, 3], 20)))
    write(out, "raw-data-long.onnx",
          add_init_model(raw_float_tensor("w", [2, 3], 28)))

    t = helper.make_tensor("w", FLOAT, [2, 3], [1.0] * 6)
    del t.float_data[5:]
    write(out, "float-data-short.onnx", add_init_model(t))
    t = helper.make_tensor("w", INT64, [2], [1, 2])
    t.int64_data.append(3)
    write(out, "int64-data-long.onnx", add_init_model(t))
    # 2^31 elements (at the default limit) declared, one value present: a
    # 96-byte file that must not cost 16 GiB.
    t = TensorProto()
    t.name = "w"
    t.data_type = INT64
    t.dims.append(2**31)
    t.int64_data.append(7)
    node = helper.make_node("Identity", ["w"], ["y"], name="id")
    write(out, "typed-data-huge.onnx",
          make([node], [], [tin("y", [2**31], INT64)], [t]))

    # Dims: negative, beyond the element limit, product overflowing int64.
    # The tensors carry a few bytes only: nothing may be allocated for them.
    for name, dims in (("init-negative-dim", [-2, 3]),
                       ("init-huge-dims", [2**20, 2**20]),
                       ("init-dims-overflow", [2**62, 2**62, 4])):
        node = helper.make_node("Relu", ["w"], ["y"], name="relu")
        write(out, name + ".onnx",
              make([node], [], [sym("y", len(dims))],
                   [raw_float_tensor("w", dims, 8)]))
    for name, dims in (("input-negative-dim", [-2, 3]),
                       ("input-huge-dims", [2**40, 2**40]),
                       ("input-dims-overflow", [2**32, 2**32, 2**32])):
        node = helper.make_node("Relu", ["x"], ["y"], name="relu")
        write(out, name + ".onnx", make([node], [tin("x", dims)],
                                        [tin("y", dims)]))

    # Element types Octet does not import.
    node = helper.make_node("Identity", ["x"], ["y"], name="id")
    write(out, "input-string.onnx",
          make([node], [tin("x", [2], TensorProto.STRING)],
               [tin("y", [2], TensorProto.STRING)]))
    c = helper.make_tensor("w", TensorProto.COMPLEX64, [2], [1 + 2j, 3 + 4j])
    node = helper.make_node("Identity", ["w"], ["y"], name="id")
    write(out, "init-complex64.onnx",
          make([node], [], [tin("y", [2], TensorProto.COMPLEX64)], [c]))
    # Graph input that is a sequence, not a tensor.
    node = helper.make_node("Identity", ["s"], ["y"], name="id")
    write(out, "input-sequence.onnx",
          make([node], [helper.make_tensor_sequence_value_info("s", FLOAT, [2])],
               [helper.make_tensor_sequence_value_info("y", FLOAT, [2])]))
    t = raw_float_tensor("w", [2], 8)
    t.data_type = 0  # UNDEFINED
    node = helper.make_node("Identity", ["w"], ["y"], name="id")
    write(out, "init-undefined-type.onnx", make([node], [], [tin("y", [2])], [t]))

    # A valid model whose weight (100 elements) exceeds --max-elements 50.
    w = numpy_helper.from_array(np.ones((10, 10), np.float32), "w")
    node = helper.make_node("Relu", ["w"], ["y"], name="relu")
    write(out, "hundred-elements.onnx",
          make([node], [], [tin("y", [10, 10])], [w]))
    # Other payloads Octet refuses.
    t = helper.make_tensor("w", TensorProto.STRING, [2], [b"a", b"b"])
    node = helper.make_node("Identity", ["w"], ["y"], name="id")
    write(out, "init-string.onnx",
          make([node], [], [tin("y", [2], TensorProto.STRING)], [t]))
    t = helper.make_tensor("w", FLOAT, [2], [1.0, 2.0])
    t.segment.begin = 0
    t.segment.end = 2
    node = helper.make_node("Identity", ["w"], ["y"], name="id")
    write(out, "init-segment.onnx", make([node], [], [tin("y", [2])], [t]))

    # Constant nodes: no attribute; a value tensor with bad data.
    node = helper.make_node("Constant", [], ["y"], name="const")
    write(out, "constant-no-attr.onnx", make([node], [], [sym("y", 1)]))
    node = helper.make_node("Constant", [], ["y"], name="const",
                            value=raw_float_tensor("v", [4], 12))
    write(out, "constant-bad-data.onnx", make([node], [], [tin("y", [4])]))

    node = helper.make_node("Constant", [], ["y"], name="const",
                            value_string="text")
    write(out, "constant-string.onnx",
          make([node], [], [tin("y", [], TensorProto.STRING)]))
    node = helper.make_node("Constant", [], ["y"], name="const",
                            value=raw_float_tensor("v", [2**20, 2**20], 8))
    write(out, "constant-huge.onnx", make([node], [], [sym("y", 2)]))

    # Shapes computed at import time that are too big to exist.
    for name, dims in (("constant-of-shape-huge", [2**20, 2**20]),
                       ("constant-of-shape-overflow", [2**32, 2**32])):
        shape = numpy_helper.from_array(np.array(dims, np.int64), "shape")
        node = helper.make_node("ConstantOfShape", ["shape"], ["y"],
                                name="fill")
        write(out, name + ".onnx", make([node], [], [sym("y", 2)], [shape]))
    for name, dims in (("expand-huge", [2**20, 2**20]),
                       ("expand-overflow", [2**32, 2**32])):
        shape = numpy_helper.from_array(np.array(dims, np.int64), "shape")
        node = helper.make_node("Expand", ["x", "shape"], ["y"], name="expand")
        write(out, name + ".onnx",
              make([node], [tin("x", [1])], [sym("y", 2)], [shape]))
    # A reshape whose target's element count wraps around to the input's 0.
    shape = numpy_helper.from_array(np.array([2**32, 2**32], np.int64), "shape")
    node = helper.make_node("Reshape", ["x", "shape"], ["y"], name="reshape")
    write(out, "reshape-overflow.onnx",
          make([node], [tin("x", [0])], [sym("y", 2)], [shape]))
    # Two small integer constants whose broadcast sum has 2^32 elements.
    a = numpy_helper.from_array(np.zeros((65536, 1), np.int64), "a")
    b = numpy_helper.from_array(np.zeros((1, 65536), np.int64), "b")
    node = helper.make_node("Add", ["a", "b"], ["y"], name="add")
    write(out, "constant-broadcast-huge.onnx",
          make([node], [], [sym("y", 2, INT64)], [a, b]))
    # Integer arithmetic the importer evaluates itself: INT64_MIN / -1
    # overflows (x86 traps on it).
    a = numpy_helper.from_array(np.array([-2**63], np.int64), "a")
    b = numpy_helper.from_array(np.array([-1], np.int64), "b")
    node = helper.make_node("Div", ["a", "b"], ["y"], name="div")
    write(out, "const-div-overflow.onnx",
          make([node], [], [tin("y", [1], INT64)], [a, b]))
    # Slice of a constant shape vector with empty starts/ends: slices no
    # axis, so y == d.
    d = numpy_helper.from_array(np.arange(6, dtype=np.int64), "d")
    e = numpy_helper.from_array(np.array([], np.int64), "e")
    node = helper.make_node("Slice", ["d", "e", "e"], ["y"], name="slice")
    write(out, "const-slice-empty-starts.onnx",
          make([node], [], [tin("y", [6], INT64)], [d, e]))
    # Slice with steps but the optional axes input omitted: the shape is
    # [2, 3, 4] (every other entry), so the sum of ones is 24.
    d = numpy_helper.from_array(np.array([2, 9, 3, 9, 4, 9], np.int64), "d")
    s0 = numpy_helper.from_array(np.array([0], np.int64), "s0")
    s6 = numpy_helper.from_array(np.array([6], np.int64), "s6")
    st = numpy_helper.from_array(np.array([2], np.int64), "st")
    nodes = [helper.make_node("Slice", ["d", "s0", "s6", "", "st"], ["shape"],
                              name="slice"),
             helper.make_node("ConstantOfShape", ["shape"], ["ones"],
                              name="fill",
                              value=helper.make_tensor("v", FLOAT, [1], [1.0])),
             helper.make_node("ReduceSum", ["ones"], ["y"], name="sum",
                              keepdims=0)]
    write(out, "const-slice-steps-no-axes.onnx",
          make(nodes, [], [tin("y", [])], [d, s0, s6, st]))


# --- graph: structure, names, attributes, ops -----------------------------------


def gen_graph(out):
    n1 = helper.make_node("Relu", ["x"], ["a"], name="first")
    a = helper.make_node("Add", ["x", "b"], ["a"], name="n_a")
    b = helper.make_node("Relu", ["a"], ["b"], name="n_b")
    write(out, "cycle.onnx", make([a, b], [tin("x", [2])], [tin("b", [2])]))

    n = helper.make_node("Relu", ["nowhere"], ["y"], name="relu")
    write(out, "undefined-input.onnx",
          make([n], [tin("x", [2])], [tin("y", [2])]))
    write(out, "undefined-output.onnx",
          make([n1], [tin("x", [2])], [tin("a", [2]), tin("z", [2])]))

    n2 = helper.make_node("Sigmoid", ["x"], ["a"], name="second")
    write(out, "duplicate-output.onnx",
          make([n1, n2], [tin("x", [2])], [tin("a", [2])]))
    write(out, "duplicate-graph-input.onnx",
          make([n1], [tin("x", [2]), tin("x", [2])], [tin("a", [2])]))
    write(out, "duplicate-graph-output.onnx",
          make([n1], [tin("x", [2])], [tin("a", [2]), tin("a", [2])]))

    # A graph output declared without a shape (ONNX requires one).
    node = helper.make_node("Relu", ["x"], ["y"], name="relu")
    write(out, "output-no-shape.onnx",
          make([node], [tin("x", [2])], [tin("y", None)]))

    # Wrong attribute types on Conv.
    w = numpy_helper.from_array(np.ones((1, 1, 1, 1), np.float32), "w")

    def conv(attr):
        node = helper.make_node("Conv", ["x", "w"], ["y"], name="conv")
        node.attribute.append(attr)
        return make([node], [tin("x", [1, 1, 4, 4])], [sym("y", 4)], [w])

    write(out, "attr-floats-for-ints.onnx",
          conv(helper.make_attribute("strides", [1.0, 1.0])))
    write(out, "attr-int-for-ints.onnx",
          conv(helper.make_attribute("strides", 1)))
    write(out, "attr-ints-for-int.onnx",
          conv(helper.make_attribute("group", [1])))
    # The type field says INTS; the payload is a float.
    attr = AttributeProto()
    attr.name = "strides"
    attr.type = AttributeProto.INTS
    attr.f = 1.0
    write(out, "attr-type-payload-mismatch.onnx", conv(attr))
    attr = AttributeProto()
    attr.name = "strides"
    attr.ints.extend([1, 1])
    write(out, "attr-undefined-type.onnx", conv(attr))
    write(out, "attr-unknown-name.onnx",
          conv(helper.make_attribute("stride", [1, 1])))
    # An attribute the op does not have (Relu takes none).
    node = helper.make_node("Relu", ["x"], ["y"], name="relu")
    node.attribute.append(helper.make_attribute("alpha", 1.0))
    write(out, "attr-extra-on-relu.onnx",
          make([node], [tin("x", [2])], [tin("y", [2])]))

    # Unknown and unsupported ops.
    node = helper.make_node("Frobnicate", ["x"], ["y"], name="frob")
    write(out, "unknown-op.onnx", make([node], [tin("x", [2])], [tin("y", [2])]))
    node = helper.make_node("Bar", ["x"], ["y"], name="bar",
                            domain="com.example")
    write(out, "unknown-domain.onnx",
          make([node], [tin("x", [2])], [tin("y", [2])],
               opsets=[("", 17), ("com.example", 1)]))
    # Several unsupported types: Frobnicate x3 (one unnamed), Einsum (a real
    # ONNX op Octet lacks) x2, com.example:Bar x1, mixed with supported Relus.
    nodes = [
        helper.make_node("Relu", ["x"], ["r0"], name="ok0"),
        helper.make_node("Frobnicate", ["r0"], ["f0"], name="frob_a"),
        helper.make_node("Einsum", ["f0"], ["e0"], name="ein_a",
                         equation="i->i"),
        helper.make_node("Frobnicate", ["e0"], ["f1"]),
        helper.make_node("Bar", ["f1"], ["b0"], name="bar_a",
                         domain="com.example"),
        helper.make_node("Einsum", ["b0"], ["e1"], name="ein_b",
                         equation="i->i"),
        helper.make_node("Relu", ["e1"], ["r1"], name="ok1"),
        helper.make_node("Frobnicate", ["r1"], ["y"], name="frob_c"),
    ]
    write(out, "unsupported-several.onnx",
          make(nodes, [tin("x", [2])], [tin("y", [2])],
               opsets=[("", 17), ("com.example", 1)]))
    # More nodes of one type than the message lists.
    nodes = [helper.make_node("Frobnicate", ["x" if i == 0 else "t%d" % (i - 1)],
                              ["t%d" % i], name="frob%d" % i)
             for i in range(10)]
    write(out, "unsupported-many.onnx",
          make(nodes, [tin("x", [2])], [tin("t9", [2])]))
    node = helper.make_node("", ["x"], ["y"], name="blank")
    write(out, "empty-op-type.onnx",
          make([node], [tin("x", [2])], [tin("y", [2])]))


# --- opsets and IR versions ------------------------------------------------------


def gen_opsets(out):
    def relu(**kw):
        return make([helper.make_node("Relu", ["x"], ["y"], name="relu")],
                    [tin("x", [2])], [tin("y", [2])], **kw)

    write(out, "no-default-opset.onnx", relu(opsets=[("com.example", 1)]))
    write(out, "no-opset.onnx", relu(opsets=[]))
    write(out, "opset-0.onnx", relu(opset=0))
    write(out, "opset-negative.onnx", relu(opset=-3))
    write(out, "opset-99.onnx", relu(opset=99))
    write(out, "opset-duplicate.onnx", relu(opsets=[("", 13), ("", 17)]))
    write(out, "opset-duplicate-alias.onnx",
          relu(opsets=[("", 13), ("ai.onnx", 17)]))
    write(out, "ir-version-0.onnx", relu(ir_version=0))
    write(out, "ir-version-99.onnx", relu(ir_version=99))
    # Opsets before 7 go through ONNX's version converter first.
    model = conv_model()
    model.opset_import[0].version = 6
    write(out, "opset6-valid.onnx", model)
    n = helper.make_node("Relu", ["x"], ["a"], name="relu")
    write(out, "opset6-undefined-output.onnx",
          make([n], [tin("x", [2])], [tin("a", [2]), tin("z", [2])], opset=6))
    n = helper.make_node("Relu", ["nowhere"], ["y"], name="relu")
    write(out, "opset6-undefined-input.onnx",
          make([n], [tin("x", [2])], [tin("y", [2])], opset=6))
    n = helper.make_node("Relu", ["x"], ["y"], name="relu")
    write(out, "opset6-input-huge-dims.onnx",
          make([n], [tin("x", [2**40, 2**40])], [tin("y", [2**40, 2**40])],
               opset=6))
    conv = helper.make_node("Conv", ["x", "w"], ["y"], name="conv")
    attr = conv.attribute.add()
    attr.name = "strides"
    attr.ints.extend([1, 1])
    w = numpy_helper.from_array(np.ones((1, 1, 1, 1), np.float32), "w")
    write(out, "opset6-attr-undefined-type.onnx",
          make([conv], [tin("x", [1, 1, 4, 4])], [tin("y", [1, 1, 4, 4])], [w],
               opset=6))

    # Gelu exists from opset 20 only.
    node = helper.make_node("Gelu", ["x"], ["y"], name="gelu")
    write(out, "op-newer-than-opset.onnx",
          make([node], [tin("x", [2])], [tin("y", [2])], opset=17))


# --- external data ----------------------------------------------------------------
#
# Models live in ext/; outside.bin lies next to ext/, outside the model
# directory, so that refusals are for the location and not a missing file.

WEIGHTS = np.array([1.5, -2.0, 3.25, 4.0], np.float32)


def ext_tensor(location, offset=None, length=None, name="w"):
    """A float[4] whose data lives in `location`."""
    t = TensorProto()
    t.name = name
    t.data_type = FLOAT
    t.dims.append(4)
    t.data_location = TensorProto.EXTERNAL
    entries = [("location", location)]
    if offset is not None:
        entries.append(("offset", str(offset)))
    if length is not None:
        entries.append(("length", str(length)))
    for key, value in entries:
        e = t.external_data.add()
        e.key = key
        e.value = value
    return t


def gen_external(out):
    ext = os.path.join(out, "ext")
    os.makedirs(os.path.join(ext, "subdir"), exist_ok=True)
    # weights.bin: 8 bytes of junk, then the four floats (offset 8).
    junk = b"\xde\xad\xbe\xef\xde\xad\xbe\xef"
    write(ext, "weights.bin", junk + WEIGHTS.tobytes())
    write(out, "outside.bin", WEIGHTS.tobytes())
    os.symlink("../outside.bin", os.path.join(ext, "link-out.bin"))
    os.symlink("weights.bin", os.path.join(ext, "link-in.bin"))

    cases = {
        "ext-valid": ext_tensor("weights.bin", 8, 16),
        "ext-valid-no-length": ext_tensor("weights.bin", 8),
        "ext-symlink-in": ext_tensor("link-in.bin", 8, 16),
        "ext-dotdot": ext_tensor("../outside.bin"),
        "ext-dotdot-inside": ext_tensor("subdir/../weights.bin", 8, 16),
        "ext-absolute": ext_tensor(os.path.abspath(
            os.path.join(out, "outside.bin"))),
        "ext-symlink-out": ext_tensor("link-out.bin"),
        "ext-missing": ext_tensor("missing.bin"),
        "ext-directory": ext_tensor("subdir"),
        "ext-no-location": ext_tensor("", 0, 16),
        "ext-offset-past-end": ext_tensor("weights.bin", 1000),
        "ext-length-past-end": ext_tensor("weights.bin", 8, 24),
        "ext-bad-offset": ext_tensor("weights.bin", "eight"),
        "ext-negative-length": ext_tensor("weights.bin", 8, -16),
        "ext-size-mismatch": ext_tensor("weights.bin", 8, 12),
    }
    for name, tensor in cases.items():
        write(ext, name + ".onnx", add_init_model(tensor))

    # A Constant node whose value tensor is external.
    node = helper.make_node("Constant", [], ["y"], name="const",
                            value=ext_tensor("weights.bin", 8, 16, name="v"))
    write(ext, "ext-constant-valid.onnx", make([node], [], [tin("y", [4])]))
    node = helper.make_node("Constant", [], ["y"], name="const",
                            value=ext_tensor("../outside.bin", name="v"))
    write(ext, "ext-constant-dotdot.onnx", make([node], [], [tin("y", [4])]))


# --- seeds: small valid models for a fuzzer ----------------------------------------


def gen_seeds(out):
    write(out, "relu.onnx", relu_model())
    write(out, "conv.onnx", conv_model())

    w1 = numpy_helper.from_array(
        np.linspace(-1, 1, 8 * 4, dtype=np.float32).reshape(8, 4), "w1")
    b1 = numpy_helper.from_array(np.zeros(4, np.float32), "b1")
    nodes = [helper.make_node("MatMul", ["x", "w1"], ["m"], name="mm"),
             helper.make_node("Add", ["m", "b1"], ["a"], name="bias"),
             helper.make_node("Relu", ["a"], ["r"], name="relu"),
             helper.make_node("Softmax", ["r"], ["y"], name="softmax", axis=-1)]
    write(out, "mlp.onnx", make(nodes, [tin("x", [1, 8])], [tin("y", [1, 4])],
                                [w1, b1]))

    # Shape arithmetic the importer evaluates: Shape -> Gather -> Concat ->
    # Reshape.
    idx = numpy_helper.from_array(np.array([0], np.int64), "idx")
    minus1 = numpy_helper.from_array(np.array([-1], np.int64), "minus1")
    nodes = [helper.make_node("Shape", ["x"], ["s"], name="shape"),
             helper.make_node("Gather", ["s", "idx"], ["n"], name="gather"),
             helper.make_node("Concat", ["n", "minus1"], ["t"], name="concat",
                              axis=0),
             helper.make_node("Reshape", ["x", "t"], ["y"], name="reshape")]
    write(out, "reshape.onnx", make(nodes, [tin("x", [2, 3, 4])],
                                    [tin("y", [2, 12])], [idx, minus1]))

    pool = [helper.make_node("MaxPool", ["x"], ["p"], name="pool",
                             kernel_shape=[2, 2], strides=[2, 2]),
            helper.make_node("GlobalAveragePool", ["p"], ["g"], name="gap"),
            helper.make_node("Flatten", ["g"], ["y"], name="flatten")]
    write(out, "pool.onnx", make(pool, [tin("x", [1, 3, 8, 8])],
                                 [tin("y", [1, 3])]))
    write(out, "relu.onnxtxt",
          '<ir_version: 8, opset_import: ["" : 17]>\n'
          "g (float[2,3] x) => (float[2,3] y)\n{\n  y = Relu (x)\n}\n")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", nargs="?", help="directory for the bad models")
    parser.add_argument("--seeds", metavar="DIR",
                        help="also write valid seed models into DIR")
    args = parser.parse_args()
    if not args.out and not args.seeds:
        parser.error("give an output directory, --seeds DIR, or both")
    for target, generators in ((args.out, (gen_parse, gen_tensors, gen_graph,
                                           gen_opsets, gen_external)),
                               (args.seeds, (gen_seeds,))):
        if not target:
            continue
        # Start clean (symlinks and stale cases from an older run would
        # otherwise survive), but only delete a directory this script made.
        marker = os.path.join(target, ".octet-generated-corpus")
        if os.path.isdir(target) and os.listdir(target):
            if not os.path.exists(marker):
                parser.error("%s is not empty and was not written by this "
                             "script; refusing to delete it" % target)
            shutil.rmtree(target)
        os.makedirs(target, exist_ok=True)
        open(marker, "w").close()
        for generate in generators:
            generate(target)
    return 0


if __name__ == "__main__":
    sys.exit(main())
