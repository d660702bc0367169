//===- Ops.cpp - Builder DSL: layers and ops on tensors -------------------===//
//
// Each function finds the graph through its operands, names the op, and
// builds it through `buildInferred`, which asks the op's own type inference
// (the shape functions of ShapeInference.h) for the result type before the
// op exists. The generated inferring builders would abort on a shape error;
// asking first turns it into a diagnostic and a failed graph instead.
//
//===----------------------------------------------------------------------===//

#include "octet/Builder/Ops.h"

#include "octet/IR/ShapeInference.h"

#include "llvm/Support/MathExtras.h"

#include <optional>
#include <type_traits>

using namespace mlir;
using namespace mlir::octet;

namespace {
/// Where a new op goes: its graph and its location.
struct Site {
  Graph *graph;
  Location loc;
};
} // namespace

/// Prepares an op named `opName` over `required` and `optional` operands
/// (empty optional ones are absent). Returns nothing when the op must not be
/// built: an operand's graph has failed, or no operand has a graph at all.
/// Reports empty required operands and operands of different graphs.
static std::optional<Site> prepare(StringRef opName, StringRef prefix,
                                   StringRef name, ArrayRef<Tensor> required,
                                   ArrayRef<Tensor> optional = {}) {
  Graph *graph = nullptr;
  for (ArrayRef<Tensor> list : {required, optional})
    for (const Tensor &t : list) {
      if (t.getGraph() && t.getGraph()->hasFailed())
        return std::nullopt;
      if (!graph)
        graph = t.getGraph();
    }
  if (!graph)
    return std::nullopt;
  Location loc = graph->nameLoc(prefix, name);
  if (!graph->acceptsOps(loc))
    return std::nullopt;
  unsigned index = 0;
  auto check = [&](const Tensor &t, bool isRequired) {
    if (isRequired && !t) {
      emitError(loc) << "'" << opName << "' op expects a tensor for operand #"
                     << index << ", got an empty handle";
      return false;
    }
    if (t && t.getGraph() != graph) {
      emitError(loc) << "'" << opName << "' op expects operands of graph '"
                     << graph->getName() << "', but operand #" << index
                     << " belongs to graph '" << t.getGraph()->getName() << "'";
      return false;
    }
    ++index;
    return true;
  };
  // Stops at the first bad operand, so there is one diagnostic.
  bool ok = true;
  for (const Tensor &t : required)
    ok = ok && check(t, /*isRequired=*/true);
  for (const Tensor &t : optional)
    ok = ok && check(t, /*isRequired=*/false);
  if (!ok) {
    graph->fail();
    return std::nullopt;
  }
  return Site{graph, loc};
}

/// Builds `OpTy` from `args` (operands and attributes, as for its generated
/// builders) with the result types its inference gives.
template <typename OpTy, typename... Args>
static Tensor buildInferred(const Site &site, Args &&...args) {
  OpBuilder &builder = site.graph->getBuilder();
  MLIRContext *context = builder.getContext();
  OperationState state(site.loc, OpTy::getOperationName());
  OpTy::build(builder, state, TypeRange(), std::forward<Args>(args)...);
  // Attributes left unset take their defaults only when the op is created;
  // inference reads them before that.
  using Properties = typename OpTy::Properties;
  if constexpr (!std::is_same_v<Properties, EmptyProperties>)
    OpTy::populateDefaultProperties(state.name,
                                    state.getOrAddProperties<Properties>());
  SmallVector<Type, 1> types;
  if (failed(OpTy::inferReturnTypes(context, state.location, state.operands,
                                    state.attributes.getDictionary(context),
                                    state.getRawProperties(), state.regions,
                                    types)))
    return site.graph->fail();
  state.addTypes(types);
  return site.graph->append(builder.create(state));
}

/// `axis` counted from the end when negative; out-of-range values are kept
/// so that the shape rule reports them as the user wrote them.
static int64_t normalizeAxis(int64_t axis, int64_t rank) {
  return axis < 0 && axis >= -rank ? axis + rank : axis;
}

//===----------------------------------------------------------------------===//
// Layers
//===----------------------------------------------------------------------===//

Tensor mlir::octet::linear(Tensor x, Tensor weight, Tensor bias,
                           StringRef name) {
  auto site =
      prepare(GemmOp::getOperationName(), "fc", name, {x, weight}, {bias});
  if (!site)
    return {};
  Builder &b = site->graph->getBuilder();
  return buildInferred<GemmOp>(
      *site, x.getValue(), weight.getValue(), bias.getValue(), FloatAttr(),
      FloatAttr(), BoolAttr(), b.getBoolAttr(true), ActivationAttr());
}

Tensor mlir::octet::matmul(Tensor lhs, Tensor rhs, StringRef name) {
  auto site = prepare(MatMulOp::getOperationName(), "matmul", name, {lhs, rhs});
  if (!site)
    return {};
  return buildInferred<MatMulOp>(*site, lhs.getValue(), rhs.getValue());
}

Tensor mlir::octet::conv2d(Tensor x, Tensor weight, Tensor bias,
                           const Conv2DOptions &options, StringRef name) {
  auto site =
      prepare(Conv2DOp::getOperationName(), "conv", name, {x, weight}, {bias});
  if (!site)
    return {};
  Builder &b = site->graph->getBuilder();
  return buildInferred<Conv2DOp>(
      *site, x.getValue(), weight.getValue(), bias.getValue(),
      b.getDenseI64ArrayAttr(options.strides),
      b.getDenseI64ArrayAttr(options.dilations),
      b.getDenseI64ArrayAttr(options.pads), b.getI64IntegerAttr(options.group),
      ActivationAttr());
}

Tensor mlir::octet::batchNorm(Tensor x, Tensor scale, Tensor bias, Tensor mean,
                              Tensor variance, float epsilon, StringRef name) {
  auto site = prepare(BatchNormOp::getOperationName(), "bn", name,
                      {x, scale, bias, mean, variance});
  if (!site)
    return {};
  Builder &b = site->graph->getBuilder();
  return buildInferred<BatchNormOp>(
      *site, x.getValue(), scale.getValue(), bias.getValue(), mean.getValue(),
      variance.getValue(), b.getF32FloatAttr(epsilon));
}

Tensor mlir::octet::layerNorm(Tensor x, Tensor scale, Tensor bias, int64_t axis,
                              float epsilon, StringRef name) {
  auto site =
      prepare(LayerNormOp::getOperationName(), "ln", name, {x, scale}, {bias});
  if (!site)
    return {};
  Builder &b = site->graph->getBuilder();
  return buildInferred<LayerNormOp>(
      *site, x.getValue(), scale.getValue(), bias.getValue(),
      b.getI64IntegerAttr(normalizeAxis(axis, x.getRank())),
      b.getF32FloatAttr(epsilon));
}

Tensor mlir::octet::maxPool(Tensor x, const Pool2DOptions &options,
                            StringRef name) {
  auto site = prepare(MaxPoolOp::getOperationName(), "maxpool", name, {x});
  if (!site)
    return {};
  Builder &b = site->graph->getBuilder();
  return buildInferred<MaxPoolOp>(
      *site, x.getValue(), b.getDenseI64ArrayAttr(options.kernel),
      b.getDenseI64ArrayAttr(options.strides),
      b.getDenseI64ArrayAttr(options.dilations),
      b.getDenseI64ArrayAttr(options.pads), b.getBoolAttr(options.ceilMode));
}

Tensor mlir::octet::avgPool(Tensor x, const Pool2DOptions &options,
                            StringRef name) {
  auto site = prepare(AvgPoolOp::getOperationName(), "avgpool", name, {x});
  if (!site)
    return {};
  // The op has no dilations; silently dropping them would change the model.
  if (llvm::any_of(options.dilations, [](int64_t d) { return d != 1; })) {
    emitError(site->loc) << "'" << AvgPoolOp::getOperationName()
                         << "' op does not support dilations";
    return site->graph->fail();
  }
  Builder &b = site->graph->getBuilder();
  return buildInferred<AvgPoolOp>(
      *site, x.getValue(), b.getDenseI64ArrayAttr(options.kernel),
      b.getDenseI64ArrayAttr(options.strides),
      b.getDenseI64ArrayAttr(options.pads), b.getBoolAttr(options.ceilMode),
      b.getBoolAttr(options.countIncludePad));
}

Tensor mlir::octet::globalAvgPool(Tensor x, StringRef name) {
  auto site = prepare(GlobalAvgPoolOp::getOperationName(), "gap", name, {x});
  if (!site)
    return {};
  return buildInferred<GlobalAvgPoolOp>(*site, x.getValue());
}

//===----------------------------------------------------------------------===//
// Activations
//===----------------------------------------------------------------------===//

template <typename OpTy>
static Tensor unary(Tensor x, StringRef prefix, StringRef name) {
  auto site = prepare(OpTy::getOperationName(), prefix, name, {x});
  if (!site)
    return {};
  return buildInferred<OpTy>(*site, x.getValue());
}

Tensor mlir::octet::relu(Tensor x, StringRef name) {
  return unary<ReluOp>(x, "relu", name);
}
Tensor mlir::octet::sigmoid(Tensor x, StringRef name) {
  return unary<SigmoidOp>(x, "sigmoid", name);
}
Tensor mlir::octet::tanh(Tensor x, StringRef name) {
  return unary<TanhOp>(x, "tanh", name);
}

Tensor mlir::octet::clip(Tensor x, float min, float max, StringRef name) {
  auto site = prepare(ClipOp::getOperationName(), "clip", name, {x});
  if (!site)
    return {};
  Builder &b = site->graph->getBuilder();
  return buildInferred<ClipOp>(*site, x.getValue(), b.getF32FloatAttr(min),
                               b.getF32FloatAttr(max));
}

Tensor mlir::octet::leakyRelu(Tensor x, float alpha, StringRef name) {
  auto site = prepare(LeakyReluOp::getOperationName(), "leaky_relu", name, {x});
  if (!site)
    return {};
  Builder &b = site->graph->getBuilder();
  return buildInferred<LeakyReluOp>(*site, x.getValue(),
                                    b.getF32FloatAttr(alpha));
}

Tensor mlir::octet::gelu(Tensor x, GeluApproximation approximation,
                         StringRef name) {
  auto site = prepare(GeluOp::getOperationName(), "gelu", name, {x});
  if (!site)
    return {};
  return buildInferred<GeluOp>(
      *site, x.getValue(),
      GeluApproximationAttr::get(site->graph->getContext(), approximation));
}

Tensor mlir::octet::softmax(Tensor x, int64_t axis, StringRef name) {
  auto site = prepare(SoftmaxOp::getOperationName(), "softmax", name, {x});
  if (!site)
    return {};
  Builder &b = site->graph->getBuilder();
  return buildInferred<SoftmaxOp>(
      *site, x.getValue(),
      b.getI64IntegerAttr(normalizeAxis(axis, x.getRank())));
}

//===----------------------------------------------------------------------===//
// Elementwise arithmetic
//===----------------------------------------------------------------------===//

template <typename OpTy>
static Tensor binary(Tensor lhs, Tensor rhs, StringRef prefix, StringRef name) {
  auto site = prepare(OpTy::getOperationName(), prefix, name, {lhs, rhs});
  if (!site)
    return {};
  return buildInferred<OpTy>(*site, lhs.getValue(), rhs.getValue());
}

Tensor mlir::octet::add(Tensor lhs, Tensor rhs, StringRef name) {
  return binary<AddOp>(lhs, rhs, "add", name);
}
Tensor mlir::octet::sub(Tensor lhs, Tensor rhs, StringRef name) {
  return binary<SubOp>(lhs, rhs, "sub", name);
}
Tensor mlir::octet::mul(Tensor lhs, Tensor rhs, StringRef name) {
  return binary<MulOp>(lhs, rhs, "mul", name);
}
Tensor mlir::octet::div(Tensor lhs, Tensor rhs, StringRef name) {
  return binary<DivOp>(lhs, rhs, "div", name);
}

Tensor mlir::octet::operator+(Tensor lhs, Tensor rhs) { return add(lhs, rhs); }
Tensor mlir::octet::operator-(Tensor lhs, Tensor rhs) { return sub(lhs, rhs); }
Tensor mlir::octet::operator*(Tensor lhs, Tensor rhs) { return mul(lhs, rhs); }
Tensor mlir::octet::operator/(Tensor lhs, Tensor rhs) { return div(lhs, rhs); }

/// A rank-0 constant `value` with the element type of `like`.
static Tensor scalarLike(Tensor like, float value) {
  Graph *graph = like.getGraph();
  if (!like || graph->hasFailed())
    return {};
  return graph->scalar(value, like.getType().getElementType());
}

Tensor mlir::octet::operator+(Tensor lhs, float rhs) {
  return add(lhs, scalarLike(lhs, rhs));
}
Tensor mlir::octet::operator-(Tensor lhs, float rhs) {
  return sub(lhs, scalarLike(lhs, rhs));
}
Tensor mlir::octet::operator*(Tensor lhs, float rhs) {
  return mul(lhs, scalarLike(lhs, rhs));
}
Tensor mlir::octet::operator/(Tensor lhs, float rhs) {
  return div(lhs, scalarLike(lhs, rhs));
}
Tensor mlir::octet::operator+(float lhs, Tensor rhs) {
  return add(scalarLike(rhs, lhs), rhs);
}
Tensor mlir::octet::operator-(float lhs, Tensor rhs) {
  return sub(scalarLike(rhs, lhs), rhs);
}
Tensor mlir::octet::operator*(float lhs, Tensor rhs) {
  return mul(scalarLike(rhs, lhs), rhs);
}
Tensor mlir::octet::operator/(float lhs, Tensor rhs) {
  return div(scalarLike(rhs, lhs), rhs);
}

//===----------------------------------------------------------------------===//
// Data movement
//===----------------------------------------------------------------------===//

Tensor mlir::octet::flatten(Tensor x, int64_t axis, StringRef name) {
  auto site = prepare(FlattenOp::getOperationName(), "flatten", name, {x});
  if (!site)
    return {};
  // Flatten's axis ranges over [0, rank], so -1 means rank - 1 as in ONNX.
  Builder &b = site->graph->getBuilder();
  return buildInferred<FlattenOp>(
      *site, x.getValue(),
      b.getI64IntegerAttr(normalizeAxis(axis, x.getRank())));
}

Tensor mlir::octet::reshape(Tensor x, ArrayRef<int64_t> shape, StringRef name) {
  auto site = prepare(ReshapeOp::getOperationName(), "reshape", name, {x});
  if (!site)
    return {};
  ShapeContext ctx{site->loc, ReshapeOp::getOperationName()};
  Shape target(shape.begin(), shape.end());
  if (llvm::any_of(target, [](int64_t d) { return d < -1; }) ||
      llvm::count(target, -1) > 1) {
    (void)ctx.emitError("expects non-negative target dimensions and at most "
                        "one -1");
    return site->graph->fail();
  }
  auto *inferred = llvm::find(target, -1);
  if (inferred != target.end()) {
    // Resolve the -1 entry from the element count; the element-count rule
    // itself is verifyReshapeShapes'.
    int64_t known = 1, total = x.getType().getNumElements();
    for (int64_t d : target)
      if (d != -1 && llvm::MulOverflow(known, d, known))
        known = 0;
    if (known == 0 || total % known != 0) {
      (void)ctx.emitError("cannot infer the -1 dimension of the target shape "
                          "for " +
                          Twine(total) + " elements");
      return site->graph->fail();
    }
    *inferred = total / known;
  }
  if (failed(verifyReshapeShapes(ctx, x.getShape(), target)))
    return site->graph->fail();
  auto type = RankedTensorType::get(target, x.getType().getElementType());
  return site->graph->append(ReshapeOp::create(site->graph->getBuilder(),
                                               site->loc, type, x.getValue()));
}

Tensor mlir::octet::transpose(Tensor x, ArrayRef<int64_t> perm,
                              StringRef name) {
  auto site = prepare(TransposeOp::getOperationName(), "transpose", name, {x});
  if (!site)
    return {};
  Builder &b = site->graph->getBuilder();
  return buildInferred<TransposeOp>(*site, x.getValue(),
                                    b.getDenseI64ArrayAttr(perm));
}

Tensor mlir::octet::concat(ArrayRef<Tensor> inputs, int64_t axis,
                           StringRef name) {
  auto site = prepare(ConcatOp::getOperationName(), "concat", name, inputs);
  if (!site)
    return {};
  SmallVector<Value> values =
      llvm::map_to_vector(inputs, [](Tensor t) { return t.getValue(); });
  Builder &b = site->graph->getBuilder();
  return buildInferred<ConcatOp>(
      *site, ValueRange(values),
      b.getI64IntegerAttr(normalizeAxis(axis, inputs.front().getRank())));
}
