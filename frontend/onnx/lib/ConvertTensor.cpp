//===- ConvertTensor.cpp - ONNX constants and data-movement ops -----------===//

#include "GraphImporter.h"
#include "octet/IR/OctetOps.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::onnx_import;

namespace {
LogicalResult convertConstant(NodeImport &node) {
  const onnx::NodeProto &proto = node.getNode();
  if (proto.attribute_size() != 1)
    return node.fail("expects exactly one value attribute");
  const onnx::AttributeProto &attr = proto.attribute(0);
  OpBuilder &b = node.getBuilder();
  auto scalarOrVector = [&](Type elem, auto values, bool scalar) {
    SmallVector<int64_t> shape;
    if (!scalar)
      shape.push_back(values.size());
    return RankedTensorType::get(shape, elem);
  };
  ElementsAttr value;
  StringRef name = attr.name();
  if (name == "value") {
    if (!attr.has_t())
      return node.fail("attribute 'value' must be a tensor");
    FailureOr<ElementsAttr> converted = convertTensorProto(
        node.getLoc(), attr.t(), "constant value", node.getImportOptions());
    if (failed(converted))
      return failure();
    value = *converted;
  } else if (name == "value_float" || name == "value_floats") {
    SmallVector<float> v;
    if (name == "value_float")
      v.push_back(attr.f());
    else
      v.assign(attr.floats().begin(), attr.floats().end());
    value = DenseElementsAttr::get(
        scalarOrVector(b.getF32Type(), v, name == "value_float"),
        ArrayRef<float>(v));
  } else if (name == "value_int" || name == "value_ints") {
    SmallVector<int64_t> v;
    if (name == "value_int")
      v.push_back(attr.i());
    else
      v.assign(attr.ints().begin(), attr.ints().end());
    value = DenseElementsAttr::get(
        scalarOrVector(b.getI64Type(), v, name == "value_int"),
        ArrayRef<int64_t>(v));
  } else {
    return node.fail("attribute '" + name + "' is not supported");
  }
  return node.setConstantOutput(0, value);
}

LogicalResult convertReshape(NodeImport &node) {
  FailureOr<RankedTensorType> type = node.getInputType(0);
  FailureOr<SmallVector<int64_t>> target = node.getConstantInts(1, "shape");
  FailureOr<int64_t> allowZero = node.getIntAttr("allowzero", 0);
  if (failed(type) || failed(target) || failed(allowZero))
    return failure();
  // Resolve 0 (copy the input dimension) and -1 (infer).
  SmallVector<int64_t> shape;
  int64_t known = 1, inferred = -1;
  for (auto [i, d] : llvm::enumerate(*target)) {
    if (d == 0 && !*allowZero) {
      if (i >= (size_t)type->getRank())
        return node.fail("shape entry " + Twine(i) +
                         " is 0 but the input has rank " +
                         Twine(type->getRank()));
      d = type->getDimSize(i);
    }
    if (d == -1) {
      if (inferred >= 0)
        return node.fail("shape has more than one -1");
      inferred = i;
      shape.push_back(1);
      continue;
    }
    if (d < 0)
      return node.fail("invalid shape entry " + Twine(d));
    known *= d;
    shape.push_back(d);
  }
  if (inferred >= 0) {
    if (known == 0 || type->getNumElements() % known != 0)
      return node.fail("cannot infer the -1 entry of the shape");
    shape[inferred] = type->getNumElements() / known;
  }
  auto resultType = RankedTensorType::get(shape, type->getElementType());
  if (resultType.getNumElements() != type->getNumElements())
    return node.fail("cannot reshape " + typeString(*type) + " to " +
                     typeString(resultType));
  if (node.isConstantInput(0)) {
    if (auto dense =
            dyn_cast<DenseElementsAttr>(*node.getConstantInput(0, "data")))
      return node.setConstantOutput(0, dense.reshape(resultType));
  }
  FailureOr<Value> x = node.getInput(0);
  if (failed(x))
    return failure();
  return node.setOutput(0, node.createOp<ReshapeOp>(resultType, *x));
}

LogicalResult convertFlatten(NodeImport &node) {
  FailureOr<RankedTensorType> type = node.getInputType(0);
  FailureOr<int64_t> axis = node.getIntAttr("axis", 1);
  FailureOr<Value> x = node.getInput(0);
  if (failed(type) || failed(axis) || failed(x))
    return failure();
  int64_t a = *axis < 0 ? *axis + type->getRank() : *axis;
  return node.setOutput(
      0, node.createOp<FlattenOp>(*x, node.getBuilder().getI64IntegerAttr(a)));
}

LogicalResult convertTranspose(NodeImport &node) {
  FailureOr<RankedTensorType> type = node.getInputType(0);
  FailureOr<Value> x = node.getInput(0);
  if (failed(type) || failed(x))
    return failure();
  SmallVector<int64_t> reversed(
      llvm::reverse(llvm::seq<int64_t>(0, type->getRank())));
  FailureOr<SmallVector<int64_t>> perm = node.getIntsAttr("perm", reversed);
  if (failed(perm))
    return failure();
  return node.setOutput(0,
                        node.createOp<TransposeOp>(
                            *x, node.getBuilder().getDenseI64ArrayAttr(*perm)));
}

LogicalResult convertConcat(NodeImport &node) {
  FailureOr<int64_t> axis = node.getIntAttr("axis", 0);
  if (failed(axis))
    return failure();
  SmallVector<Value> inputs;
  int64_t rank = 0;
  for (unsigned i = 0; i < node.getNumInputs(); ++i) {
    FailureOr<Value> v = node.getInput(i);
    if (failed(v))
      return failure();
    // ONNX allows empty inputs in a concat; they contribute nothing.
    auto type = cast<RankedTensorType>(v->getType());
    rank = type.getRank();
    if (type.getNumElements() == 0 && node.getNumInputs() > 1)
      continue;
    inputs.push_back(*v);
  }
  FailureOr<int64_t> a = node.normalizeAxis(*axis, rank);
  if (failed(a))
    return failure();
  if (inputs.size() == 1)
    return node.setOutput(0, inputs.front());
  return node.setOutput(
      0,
      node.createOp<ConcatOp>(inputs, node.getBuilder().getI64IntegerAttr(*a)));
}

/// ONNX Slice (attributes before opset 10, inputs after) to the normalized
/// octet.slice with clamped per-dimension bounds.
LogicalResult convertSlice(NodeImport &node) {
  FailureOr<RankedTensorType> type = node.getInputType(0);
  if (failed(type))
    return failure();
  int64_t rank = type->getRank();
  SmallVector<int64_t> starts, ends, axes, steps;
  if (node.getOpset() < 10) {
    auto s = node.getIntsAttr("starts", {}), e = node.getIntsAttr("ends", {});
    auto a = node.getIntsAttr("axes", {});
    if (failed(s) || failed(e) || failed(a))
      return failure();
    starts = *s, ends = *e, axes = *a;
  } else {
    auto s = node.getConstantInts(1, "starts"),
         e = node.getConstantInts(2, "ends");
    if (failed(s) || failed(e))
      return failure();
    starts = *s, ends = *e;
    if (node.hasInput(3)) {
      auto a = node.getConstantInts(3, "axes");
      if (failed(a))
        return failure();
      axes = *a;
    }
    if (node.hasInput(4)) {
      auto st = node.getConstantInts(4, "steps");
      if (failed(st))
        return failure();
      steps = *st;
    }
  }
  if (axes.empty())
    axes.assign(llvm::seq<int64_t>(0, starts.size()).begin(),
                llvm::seq<int64_t>(0, starts.size()).end());
  if (steps.empty())
    steps.assign(starts.size(), 1);
  if (ends.size() != starts.size() || axes.size() != starts.size() ||
      steps.size() != starts.size())
    return node.fail("starts, ends, axes and steps differ in length");
  SmallVector<int64_t> allStarts(rank, 0), allEnds(type->getShape()),
      allSteps(rank, 1);
  for (size_t i = 0; i < starts.size(); ++i) {
    FailureOr<int64_t> axis = node.normalizeAxis(axes[i], rank);
    if (failed(axis))
      return failure();
    int64_t dim = type->getDimSize(*axis), step = steps[i];
    if (step == 0)
      return node.fail("steps must be non-zero");
    // ONNX clamps starts to [0, dim] (or [0, dim - 1] stepping backwards)
    // and ends to [0, dim] (or [-1, dim - 1]).
    auto wrap = [&](int64_t v) { return v < 0 ? v + dim : v; };
    int64_t start = wrap(starts[i]), end = wrap(ends[i]);
    if (step > 0) {
      start = std::clamp<int64_t>(start, 0, dim);
      end = std::clamp<int64_t>(end, 0, dim);
    } else if (dim == 0) {
      start = end = 0, step = 1;
    } else {
      start = std::clamp<int64_t>(start, 0, dim - 1);
      end = std::clamp<int64_t>(end, -1, dim - 1);
    }
    allStarts[*axis] = start;
    allEnds[*axis] = end;
    allSteps[*axis] = step;
  }
  FailureOr<Value> x = node.getInput(0);
  if (failed(x))
    return failure();
  OpBuilder &b = node.getBuilder();
  return node.setOutput(
      0, node.createOp<SliceOp>(*x, b.getDenseI64ArrayAttr(allStarts),
                                b.getDenseI64ArrayAttr(allEnds),
                                b.getDenseI64ArrayAttr(allSteps)));
}

/// ONNX Pad; negative pads crop, which becomes a slice first.
LogicalResult convertPad(NodeImport &node) {
  FailureOr<RankedTensorType> type = node.getInputType(0);
  FailureOr<std::string> modeName = node.getStringAttr("mode", "constant");
  if (failed(type) || failed(modeName))
    return failure();
  SmallVector<int64_t> pads;
  double value = 0.0;
  if (node.getOpset() < 11) {
    auto p = node.getIntsAttr("pads", {});
    auto v = node.getFloatAttr("value", 0.0);
    if (failed(p) || failed(v))
      return failure();
    pads = *p, value = *v;
  } else {
    auto p = node.getConstantInts(1, "pads");
    if (failed(p))
      return failure();
    pads = *p;
    if (node.hasInput(2)) {
      auto v = node.getConstantScalar(2, "constant_value");
      if (failed(v))
        return failure();
      value = *v;
    }
  }
  int64_t rank = type->getRank();
  if ((int64_t)pads.size() != 2 * rank)
    return node.fail("expects " + Twine(2 * rank) + " pads, got " +
                     Twine(pads.size()));
  std::optional<PadMode> mode = symbolizePadMode(*modeName);
  if (!mode)
    return node.fail("pad mode '" + *modeName + "' is not supported");
  FailureOr<Value> x = node.getInput(0);
  if (failed(x))
    return failure();
  OpBuilder &b = node.getBuilder();
  if (llvm::any_of(pads, [](int64_t p) { return p < 0; })) {
    SmallVector<int64_t> starts(rank), ends(type->getShape()), steps(rank, 1);
    for (int64_t d = 0; d < rank; ++d) {
      starts[d] = std::min<int64_t>(-std::min<int64_t>(pads[d], 0),
                                    type->getDimSize(d));
      ends[d] = std::max<int64_t>(type->getDimSize(d) +
                                      std::min<int64_t>(pads[rank + d], 0),
                                  starts[d]);
      pads[d] = std::max<int64_t>(pads[d], 0);
      pads[rank + d] = std::max<int64_t>(pads[rank + d], 0);
    }
    *x = node.createOp<SliceOp>(*x, b.getDenseI64ArrayAttr(starts),
                                b.getDenseI64ArrayAttr(ends),
                                b.getDenseI64ArrayAttr(steps));
  }
  return node.setOutput(
      0, node.createOp<PadOp>(*x, b.getDenseI64ArrayAttr(pads),
                              PadModeAttr::get(node.getContext(), *mode),
                              b.getF32FloatAttr(value)));
}

/// Squeeze and Unsqueeze: axes an attribute before opset 13, an input after.
template <typename OpTy>
LogicalResult convertSqueezeLike(NodeImport &node, bool unsqueeze) {
  FailureOr<RankedTensorType> type = node.getInputType(0);
  if (failed(type))
    return failure();
  SmallVector<int64_t> axes;
  if (node.getOpset() < 13) {
    auto a = node.getIntsAttr("axes", {});
    if (failed(a))
      return failure();
    axes = *a;
  } else if (node.hasInput(1)) {
    auto a = node.getConstantInts(1, "axes");
    if (failed(a))
      return failure();
    axes = *a;
  }
  int64_t rank = type->getRank() + (unsqueeze ? axes.size() : 0);
  for (int64_t &axis : axes) {
    FailureOr<int64_t> a = node.normalizeAxis(axis, rank);
    if (failed(a))
      return failure();
    axis = *a;
  }
  llvm::sort(axes);
  FailureOr<Value> x = node.getInput(0);
  if (failed(x))
    return failure();
  return node.setOutput(
      0, node.createOp<OpTy>(*x, node.getBuilder().getDenseI64ArrayAttr(axes)));
}

LogicalResult convertSqueeze(NodeImport &node) {
  return convertSqueezeLike<SqueezeOp>(node, false);
}
LogicalResult convertUnsqueeze(NodeImport &node) {
  return convertSqueezeLike<UnsqueezeOp>(node, true);
}

LogicalResult convertGather(NodeImport &node) {
  FailureOr<RankedTensorType> type = node.getInputType(0);
  FailureOr<int64_t> axis = node.getIntAttr("axis", 0);
  if (failed(type) || failed(axis))
    return failure();
  FailureOr<int64_t> a = node.normalizeAxis(*axis, type->getRank());
  FailureOr<Value> data = node.getInput(0), indices = node.getInput(1);
  if (failed(a) || failed(data) || failed(indices))
    return failure();
  return node.setOutput(
      0, node.createOp<GatherOp>(*data, *indices,
                                 node.getBuilder().getI64IntegerAttr(*a)));
}

/// Shape and Size of a static tensor are constants.
LogicalResult convertShape(NodeImport &node) {
  FailureOr<RankedTensorType> type = node.getInputType(0);
  FailureOr<int64_t> start = node.getIntAttr("start", 0);
  FailureOr<int64_t> end = node.getIntAttr("end", INT64_MAX);
  if (failed(type) || failed(start) || failed(end))
    return failure();
  int64_t rank = type->getRank();
  auto clamp = [&](int64_t v) {
    if (v < 0)
      v += rank;
    return std::clamp<int64_t>(v, 0, rank);
  };
  ArrayRef<int64_t> shape = type->getShape();
  int64_t s = clamp(*start), e = std::max(clamp(*end), s);
  SmallVector<int64_t> dims(shape.begin() + s, shape.begin() + e);
  auto resultType = RankedTensorType::get({(int64_t)dims.size()},
                                          node.getBuilder().getI64Type());
  return node.setConstantOutput(
      0, DenseElementsAttr::get(resultType, ArrayRef<int64_t>(dims)));
}

LogicalResult convertSize(NodeImport &node) {
  FailureOr<RankedTensorType> type = node.getInputType(0);
  if (failed(type))
    return failure();
  auto resultType = RankedTensorType::get({}, node.getBuilder().getI64Type());
  return node.setConstantOutput(
      0, DenseElementsAttr::get(resultType, type->getNumElements()));
}

LogicalResult convertConstantOfShape(NodeImport &node) {
  FailureOr<SmallVector<int64_t>> shape = node.getConstantInts(0, "shape");
  if (failed(shape))
    return failure();
  if (llvm::any_of(*shape, [](int64_t d) { return d < 0; }))
    return node.fail("negative dimension in shape");
  Attribute fill = node.getBuilder().getF32FloatAttr(0.0f);
  Type elementType = node.getBuilder().getF32Type();
  if (const onnx::AttributeProto *attr = node.getAttr("value")) {
    FailureOr<ElementsAttr> v = convertTensorProto(
        node.getLoc(), attr->t(), "attribute 'value'", node.getImportOptions());
    if (failed(v))
      return failure();
    if (v->getNumElements() != 1)
      return node.fail("attribute 'value' must hold one element");
    elementType = v->getElementType();
    fill = *v->value_begin<Attribute>();
  }
  auto type = RankedTensorType::get(*shape, elementType);
  return node.setConstantOutput(0, DenseElementsAttr::get(type, fill));
}

/// Cast between float types or between integer and float types.
LogicalResult convertCast(NodeImport &node) {
  FailureOr<int64_t> to = node.getIntAttr("to", 0);
  FailureOr<Value> x = node.getInput(0);
  if (failed(to) || failed(x))
    return failure();
  Type elementType = convertElementType(node.getContext(), *to);
  if (!elementType || elementType.isInteger(1))
    return node.fail("cast to " + elementTypeName(*to) + " is not supported");
  auto type = cast<RankedTensorType>(x->getType());
  return node.setOutput(0, node.createOp<CastOp>(type.clone(elementType), *x));
}

/// Split into slices along `axis`: given sizes, or equal parts.
LogicalResult convertSplit(NodeImport &node) {
  FailureOr<RankedTensorType> type = node.getInputType(0);
  FailureOr<int64_t> axisAttr = node.getIntAttr("axis", 0);
  if (failed(type) || failed(axisAttr))
    return failure();
  FailureOr<int64_t> axis = node.normalizeAxis(*axisAttr, type->getRank());
  if (failed(axis))
    return failure();
  SmallVector<int64_t> sizes;
  if (node.getOpset() < 13) {
    auto s = node.getIntsAttr("split", {});
    if (failed(s))
      return failure();
    sizes = *s;
  } else if (node.hasInput(1)) {
    auto s = node.getConstantInts(1, "split");
    if (failed(s))
      return failure();
    sizes = *s;
  }
  int64_t dim = type->getDimSize(*axis), n = node.getNumOutputs();
  if (sizes.empty()) {
    if (dim % n != 0)
      return node.fail("cannot split dimension " + Twine(dim) + " into " +
                       Twine(n) + " equal parts");
    sizes.assign(n, dim / n);
  }
  if ((int64_t)sizes.size() != n)
    return node.fail("expects one split size per output");
  FailureOr<Value> x = node.getInput(0);
  if (failed(x))
    return failure();
  OpBuilder &b = node.getBuilder();
  int64_t offset = 0;
  for (int64_t i = 0; i < n; ++i) {
    SmallVector<int64_t> starts(type->getRank(), 0), ends(type->getShape()),
        steps(type->getRank(), 1);
    starts[*axis] = offset;
    ends[*axis] = offset + sizes[i];
    offset += sizes[i];
    if (sizes[i] < 0 || offset > dim)
      return node.fail("split sizes exceed dimension " + Twine(dim));
    auto slice = node.createOp<SliceOp>(*x, b.getDenseI64ArrayAttr(starts),
                                        b.getDenseI64ArrayAttr(ends),
                                        b.getDenseI64ArrayAttr(steps));
    if (failed(node.setOutput(i, slice)))
      return failure();
  }
  if (offset != dim)
    return node.fail("split sizes sum to " + Twine(offset) + ", not " +
                     Twine(dim));
  return success();
}

/// Expand broadcasts to a shape; multiplying by ones is exact (x·1 = x for
/// every float, including -0 and NaN).
LogicalResult convertExpand(NodeImport &node) {
  FailureOr<SmallVector<int64_t>> shape = node.getConstantInts(1, "shape");
  FailureOr<Value> x = node.getInput(0);
  if (failed(shape) || failed(x))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  if (!isa<FloatType>(type.getElementType()))
    return node.fail("only float tensors can be expanded");
  if (llvm::any_of(*shape, [](int64_t d) { return d < 0; }))
    return node.fail("negative dimension in shape");
  auto onesType = RankedTensorType::get(*shape, type.getElementType());
  Value ones = node.createOp<ConstantOp>(DenseElementsAttr::get(
      onesType, FloatAttr::get(type.getElementType(), 1.0)));
  return node.setOutput(0, node.createOp<MulOp>(*x, ones));
}
} // namespace

void onnx_import::addTensorConverters(ConverterTable &table) {
  table["Constant"] = convertConstant;
  table["Reshape"] = convertReshape;
  table["Flatten"] = convertFlatten;
  table["Transpose"] = convertTranspose;
  table["Concat"] = convertConcat;
  table["Slice"] = convertSlice;
  table["Pad"] = convertPad;
  table["Squeeze"] = convertSqueeze;
  table["Unsqueeze"] = convertUnsqueeze;
  table["Gather"] = convertGather;
  table["Shape"] = convertShape;
  table["Size"] = convertSize;
  table["ConstantOfShape"] = convertConstantOfShape;
  table["Cast"] = convertCast;
  table["Split"] = convertSplit;
  table["Expand"] = convertExpand;
}
