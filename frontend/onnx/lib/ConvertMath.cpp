//===- ConvertMath.cpp - Elementwise ONNX ops, activations, reductions ----===//

#include "NodeImport.h"
#include "octet/IR/OctetOps.h"

#include "mlir/IR/TypeUtilities.h"

#include <cfloat>

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::onnx_import;

namespace {
/// Fails unless `type` holds floats: octet arithmetic is float arithmetic;
/// integer arithmetic appears in ONNX only as shape computations, which are
/// evaluated at import time when their inputs are constant.
LogicalResult expectFloat(NodeImport &node, RankedTensorType type) {
  if (!isa<FloatType>(type.getElementType()))
    return node.fail("only float tensors are supported here (got " +
                     typeString(type) +
                     "); integer arithmetic must be computable at compile "
                     "time");
  return success();
}

template <typename OpTy> LogicalResult convertBinary(NodeImport &node) {
  if (failed(node.expectOnlyAttrs({})))
    return failure();
  FailureOr<Value> lhs = node.getInput(0), rhs = node.getInput(1);
  if (failed(lhs) || failed(rhs))
    return failure();
  auto lhsType = cast<RankedTensorType>(lhs->getType());
  if (failed(expectFloat(node, lhsType)))
    return failure();
  // Only Pow may mix types (an integer or other float exponent); octet
  // binaries take one element type, the base's, which is ONNX's result type.
  auto rhsType = cast<RankedTensorType>(rhs->getType());
  if (rhsType.getElementType() != lhsType.getElementType())
    rhs = node.createOp<CastOp>(rhsType.clone(lhsType.getElementType()), *rhs)
              .getResult();
  auto op = node.createOp<OpTy>(*lhs, *rhs);
  return node.setOutput(0, op);
}

template <typename OpTy> LogicalResult convertUnary(NodeImport &node) {
  if (failed(node.expectOnlyAttrs({})))
    return failure();
  FailureOr<Value> x = node.getInput(0);
  if (failed(x) ||
      failed(expectFloat(node, cast<RankedTensorType>(x->getType()))))
    return failure();
  return node.setOutput(0, node.createOp<OpTy>(*x));
}

/// Identity, and Dropout in inference (which never drops).
LogicalResult convertIdentity(NodeImport &node) {
  if (node.getNode().op_type() == "Dropout") {
    if (node.hasOutput(1))
      return node.fail("the mask output is not supported");
    if (node.hasInput(2)) {
      FailureOr<double> training = node.getConstantScalar(2, "training_mode");
      if (failed(training))
        return failure();
      if (*training != 0)
        return node.fail("training_mode must be false for inference");
    }
  }
  FailureOr<RankedTensorType> type = node.getInputType(0);
  if (failed(type))
    return failure();
  if (node.isConstantInput(0))
    return node.setConstantOutput(0, *node.getConstantInput(0, "input"));
  FailureOr<Value> x = node.getInput(0);
  return failed(x) ? failure() : node.setOutput(0, *x);
}

LogicalResult convertClip(NodeImport &node) {
  double lo = -FLT_MAX, hi = FLT_MAX;
  if (node.getOpset() < 11) {
    FailureOr<double> minAttr = node.getFloatAttr("min", lo);
    FailureOr<double> maxAttr = node.getFloatAttr("max", hi);
    if (failed(minAttr) || failed(maxAttr))
      return failure();
    lo = *minAttr;
    hi = *maxAttr;
  } else {
    if (node.hasInput(1)) {
      FailureOr<double> v = node.getConstantScalar(1, "min");
      if (failed(v))
        return failure();
      lo = *v;
    }
    if (node.hasInput(2)) {
      FailureOr<double> v = node.getConstantScalar(2, "max");
      if (failed(v))
        return failure();
      hi = *v;
    }
  }
  FailureOr<Value> x = node.getInput(0);
  if (failed(x) ||
      failed(expectFloat(node, cast<RankedTensorType>(x->getType()))))
    return failure();
  if (lo > hi)
    return node.fail("min " + std::to_string(lo) + " exceeds max " +
                     std::to_string(hi));
  OpBuilder &b = node.getBuilder();
  return node.setOutput(0, node.createOp<ClipOp>(*x, b.getF32FloatAttr(lo),
                                                 b.getF32FloatAttr(hi)));
}

LogicalResult convertLeakyRelu(NodeImport &node) {
  FailureOr<double> alpha = node.getFloatAttr("alpha", 0.01);
  FailureOr<Value> x = node.getInput(0);
  if (failed(alpha) || failed(x) ||
      failed(expectFloat(node, cast<RankedTensorType>(x->getType()))))
    return failure();
  return node.setOutput(0, node.createOp<LeakyReluOp>(
                               *x, node.getBuilder().getF32FloatAttr(*alpha)));
}

LogicalResult convertHardSigmoid(NodeImport &node) {
  FailureOr<double> alpha = node.getFloatAttr("alpha", 0.2);
  FailureOr<double> beta = node.getFloatAttr("beta", 0.5);
  FailureOr<Value> x = node.getInput(0);
  if (failed(alpha) || failed(beta) || failed(x) ||
      failed(expectFloat(node, cast<RankedTensorType>(x->getType()))))
    return failure();
  OpBuilder &b = node.getBuilder();
  return node.setOutput(
      0, node.createOp<HardSigmoidOp>(*x, b.getF32FloatAttr(*alpha),
                                      b.getF32FloatAttr(*beta)));
}

LogicalResult convertGelu(NodeImport &node) {
  FailureOr<std::string> approx = node.getStringAttr("approximate", "none");
  FailureOr<Value> x = node.getInput(0);
  if (failed(approx) || failed(x) ||
      failed(expectFloat(node, cast<RankedTensorType>(x->getType()))))
    return failure();
  std::optional<GeluApproximation> kind = symbolizeGeluApproximation(*approx);
  if (!kind)
    return node.fail("unknown approximate '" + *approx + "'");
  return node.setOutput(
      0, node.createOp<GeluOp>(
             *x, GeluApproximationAttr::get(node.getContext(), *kind)));
}

/// Sum of any number of inputs.
LogicalResult convertSum(NodeImport &node) {
  FailureOr<Value> acc = node.getInput(0);
  if (failed(acc))
    return failure();
  for (unsigned i = 1; i < node.getNumInputs(); ++i) {
    FailureOr<Value> next = node.getInput(i);
    if (failed(next))
      return failure();
    acc = node.createOp<AddOp>(*acc, *next).getResult();
  }
  return node.setOutput(0, *acc);
}

LogicalResult convertReciprocal(NodeImport &node) {
  FailureOr<Value> x = node.getInput(0);
  if (failed(x))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  if (failed(expectFloat(node, type)))
    return failure();
  auto oneType = RankedTensorType::get({}, type.getElementType());
  Value one = node.createOp<ConstantOp>(DenseElementsAttr::get(
      oneType, FloatAttr::get(type.getElementType(), 1.0)));
  return node.setOutput(0, node.createOp<DivOp>(one, *x));
}

/// Softmax and LogSoftmax. Before opset 13 the input is coerced to 2-D at
/// `axis` and normalized over the whole trailing block.
template <typename OpTy> LogicalResult convertSoftmax(NodeImport &node) {
  bool legacy = node.getOpset() < 13;
  FailureOr<int64_t> axisAttr = node.getIntAttr("axis", legacy ? 1 : -1);
  FailureOr<Value> x = node.getInput(0);
  if (failed(axisAttr) || failed(x))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  if (failed(expectFloat(node, type)))
    return failure();
  int64_t rank = type.getRank();
  FailureOr<int64_t> axis = node.normalizeAxis(*axisAttr, rank);
  if (failed(axis))
    return failure();
  OpBuilder &b = node.getBuilder();
  if (!legacy || *axis == rank - 1)
    return node.setOutput(0,
                          node.createOp<OpTy>(*x, b.getI64IntegerAttr(*axis)));
  auto flat = node.createOp<FlattenOp>(*x, b.getI64IntegerAttr(*axis));
  auto soft = node.createOp<OpTy>(flat, b.getI64IntegerAttr(1));
  return node.setOutput(0, node.createOp<ReshapeOp>(type, soft));
}

/// ReduceMean/Max take axes as an attribute up to opset 17 (18+ arrives
/// rewritten); ReduceSum takes them as an input from opset 13.
template <typename OpTy> LogicalResult convertReduce(NodeImport &node) {
  FailureOr<Value> x = node.getInput(0);
  FailureOr<int64_t> keepdims = node.getIntAttr("keepdims", 1);
  FailureOr<int64_t> noop = node.getIntAttr("noop_with_empty_axes", 0);
  if (failed(x) || failed(keepdims) || failed(noop))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  if (failed(expectFloat(node, type)))
    return failure();
  SmallVector<int64_t> axes;
  bool axesAsInput =
      node.getNode().op_type() == "ReduceSum" && node.getOpset() >= 13;
  if (axesAsInput) {
    if (node.hasInput(1)) {
      FailureOr<SmallVector<int64_t>> v = node.getConstantInts(1, "axes");
      if (failed(v))
        return failure();
      axes = *v;
    }
  } else {
    FailureOr<SmallVector<int64_t>> v = node.getIntsAttr("axes", {});
    if (failed(v))
      return failure();
    axes = *v;
  }
  if (axes.empty() && *noop)
    return node.setOutput(0, *x);
  for (int64_t &axis : axes) {
    FailureOr<int64_t> a = node.normalizeAxis(axis, type.getRank());
    if (failed(a))
      return failure();
    axis = *a;
  }
  llvm::sort(axes);
  axes.erase(std::unique(axes.begin(), axes.end()), axes.end());
  OpBuilder &b = node.getBuilder();
  return node.setOutput(0, node.createOp<OpTy>(*x, b.getDenseI64ArrayAttr(axes),
                                               b.getBoolAttr(*keepdims != 0)));
}
} // namespace

void onnx_import::addMathConverters(ConverterTable &table) {
  table["Add"] = convertBinary<AddOp>;
  table["Sub"] = convertBinary<SubOp>;
  table["Mul"] = convertBinary<MulOp>;
  table["Div"] = convertBinary<DivOp>;
  table["Pow"] = convertBinary<PowOp>;
  table["Sqrt"] = convertUnary<SqrtOp>;
  table["Exp"] = convertUnary<ExpOp>;
  table["Log"] = convertUnary<LogOp>;
  table["Erf"] = convertUnary<ErfOp>;
  table["Neg"] = convertUnary<NegOp>;
  table["Abs"] = convertUnary<AbsOp>;
  table["Relu"] = convertUnary<ReluOp>;
  table["Sigmoid"] = convertUnary<SigmoidOp>;
  table["Tanh"] = convertUnary<TanhOp>;
  table["HardSwish"] = convertUnary<HardSwishOp>;
  table["Reciprocal"] = convertReciprocal;
  table["Identity"] = convertIdentity;
  table["Dropout"] = convertIdentity;
  table["Clip"] = convertClip;
  table["LeakyRelu"] = convertLeakyRelu;
  table["HardSigmoid"] = convertHardSigmoid;
  table["Gelu"] = convertGelu;
  table["Sum"] = convertSum;
  table["Softmax"] = convertSoftmax<SoftmaxOp>;
  table["LogSoftmax"] = convertSoftmax<LogSoftmaxOp>;
  table["ReduceMean"] = convertReduce<ReduceMeanOp>;
  table["ReduceSum"] = convertReduce<ReduceSumOp>;
  table["ReduceMax"] = convertReduce<ReduceMaxOp>;
}
