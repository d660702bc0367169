//===- ConvertNN.cpp - ONNX convolution, matmul, pooling, normalization ---===//

#include "NodeImport.h"
#include "octet/IR/OctetOps.h"

#include "mlir/IR/TypeUtilities.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::onnx_import;

namespace {
/// The resolved window attributes of a 2-D conv or pool.
struct Window {
  SmallVector<int64_t> kernel, strides, dilations, pads;
};

/// Reads kernel_shape/strides/dilations/pads/auto_pad, resolving SAME_* and
/// VALID padding into explicit `[top, left, bottom, right]` pads.
FailureOr<Window> readWindow(NodeImport &node, ArrayRef<int64_t> spatial,
                             ArrayRef<int64_t> kernelFromWeight) {
  size_t n = spatial.size();
  Window w;
  auto kernel = node.getIntsAttr("kernel_shape", kernelFromWeight);
  auto strides = node.getIntsAttr("strides", SmallVector<int64_t>(n, 1));
  auto dilations = node.getIntsAttr("dilations", SmallVector<int64_t>(n, 1));
  auto pads = node.getIntsAttr("pads", SmallVector<int64_t>(2 * n, 0));
  auto autoPad = node.getStringAttr("auto_pad", "NOTSET");
  if (failed(kernel) || failed(strides) || failed(dilations) || failed(pads) ||
      failed(autoPad))
    return failure();
  if (kernel->size() != n || strides->size() != n || dilations->size() != n ||
      pads->size() != 2 * n)
    return (void)node.fail(
               "expects kernel_shape, strides and dilations of size " +
               Twine(n) + " and pads of size " + Twine(2 * n)),
           failure();
  if (!kernelFromWeight.empty() &&
      ArrayRef<int64_t>(*kernel) != kernelFromWeight)
    return (void)node.fail("kernel_shape disagrees with the weight's shape"),
           failure();
  w.kernel = *kernel, w.strides = *strides, w.dilations = *dilations;
  w.pads = *pads;
  StringRef mode = *autoPad;
  if (mode == "VALID") {
    std::fill(w.pads.begin(), w.pads.end(), 0);
  } else if (mode == "SAME_UPPER" || mode == "SAME_LOWER") {
    for (size_t i = 0; i < n; ++i) {
      if (w.strides[i] < 1)
        return (void)node.fail("strides must be positive"), failure();
      int64_t out = llvm::divideCeil(spatial[i], w.strides[i]);
      int64_t span = (w.kernel[i] - 1) * w.dilations[i] + 1;
      int64_t total =
          std::max<int64_t>(0, (out - 1) * w.strides[i] + span - spatial[i]);
      int64_t small = total / 2, large = total - small;
      w.pads[i] = mode == "SAME_UPPER" ? small : large;
      w.pads[n + i] = mode == "SAME_UPPER" ? large : small;
    }
  } else if (mode != "NOTSET") {
    return (void)node.fail("unknown auto_pad '" + mode + "'"), failure();
  }
  return w;
}

/// 1-D convs and pools run as 2-D ones with a unit height.
Window lift1D(const Window &w) {
  return Window{{1, w.kernel[0]},
                {1, w.strides[0]},
                {1, w.dilations[0]},
                {0, w.pads[0], 0, w.pads[1]}};
}

LogicalResult convertConv(NodeImport &node) {
  if (failed(node.expectOnlyAttrs({"auto_pad", "dilations", "group",
                                   "kernel_shape", "pads", "strides"})))
    return failure();
  FailureOr<Value> x = node.getInput(0), w = node.getInput(1);
  FailureOr<Value> bias = node.getOptionalInput(2);
  FailureOr<int64_t> group = node.getIntAttr("group", 1);
  if (failed(x) || failed(w) || failed(bias) || failed(group))
    return failure();
  auto xType = cast<RankedTensorType>(x->getType());
  auto wType = cast<RankedTensorType>(w->getType());
  int64_t rank = xType.getRank();
  if ((rank != 3 && rank != 4) || wType.getRank() != rank)
    return node.fail("only 1-D and 2-D convolutions are supported (input " +
                     typeString(xType) + ")");
  FailureOr<Window> window = readWindow(node, xType.getShape().drop_front(2),
                                        wType.getShape().drop_front(2));
  if (failed(window))
    return failure();
  OpBuilder &b = node.getBuilder();
  Value input = *x, weight = *w;
  Window w2 = *window;
  if (rank == 3) {
    input = node.createOp<UnsqueezeOp>(input, b.getDenseI64ArrayAttr({2}));
    weight = node.createOp<UnsqueezeOp>(weight, b.getDenseI64ArrayAttr({2}));
    w2 = lift1D(*window);
  }
  Value y = node.createOp<Conv2DOp>(
      input, weight, *bias, b.getDenseI64ArrayAttr(w2.strides),
      b.getDenseI64ArrayAttr(w2.dilations), b.getDenseI64ArrayAttr(w2.pads),
      b.getI64IntegerAttr(*group), ActivationAttr());
  if (rank == 3)
    y = node.createOp<SqueezeOp>(y, b.getDenseI64ArrayAttr({2}));
  return node.setOutput(0, y);
}

LogicalResult convertMatMul(NodeImport &node) {
  FailureOr<Value> a = node.getInput(0), b = node.getInput(1);
  if (failed(a) || failed(b))
    return failure();
  if (!isa<FloatType>(getElementTypeOrSelf(a->getType())))
    return node.fail("only float matmuls are supported here");
  return node.setOutput(0, node.createOp<MatMulOp>(*a, *b));
}

LogicalResult convertGemm(NodeImport &node) {
  FailureOr<Value> a = node.getInput(0), b = node.getInput(1);
  FailureOr<Value> c = node.getOptionalInput(2);
  FailureOr<double> alpha = node.getFloatAttr("alpha", 1.0);
  FailureOr<double> beta = node.getFloatAttr("beta", 1.0);
  FailureOr<int64_t> transA = node.getIntAttr("transA", 0);
  FailureOr<int64_t> transB = node.getIntAttr("transB", 0);
  if (failed(a) || failed(b) || failed(c) || failed(alpha) || failed(beta) ||
      failed(transA) || failed(transB))
    return failure();
  OpBuilder &builder = node.getBuilder();
  return node.setOutput(
      0, node.createOp<GemmOp>(
             *a, *b, *c, builder.getF32FloatAttr(*alpha),
             builder.getF32FloatAttr(*beta), builder.getBoolAttr(*transA != 0),
             builder.getBoolAttr(*transB != 0), ActivationAttr()));
}

LogicalResult convertBatchNorm(NodeImport &node) {
  FailureOr<double> epsilon = node.getFloatAttr("epsilon", 1e-5);
  FailureOr<int64_t> spatial = node.getIntAttr("spatial", 1);
  FailureOr<int64_t> training = node.getIntAttr("training_mode", 0);
  if (failed(epsilon) || failed(spatial) || failed(training))
    return failure();
  if (*spatial != 1)
    return node.fail("spatial=0 is not supported");
  if (*training != 0)
    return node.fail("training_mode is not supported; export for inference");
  for (unsigned i = 1; i < node.getNumOutputs(); ++i)
    if (node.hasOutput(i))
      return node.fail("training outputs (running statistics) are not "
                       "supported");
  SmallVector<Value> in;
  for (unsigned i = 0; i < 5; ++i) {
    FailureOr<Value> v = node.getInput(i);
    if (failed(v))
      return failure();
    in.push_back(*v);
  }
  return node.setOutput(0, node.createOp<BatchNormOp>(
                               in[0], in[1], in[2], in[3], in[4],
                               node.getBuilder().getF32FloatAttr(*epsilon)));
}

LogicalResult convertLayerNorm(NodeImport &node) {
  FailureOr<int64_t> axisAttr = node.getIntAttr("axis", -1);
  FailureOr<double> epsilon = node.getFloatAttr("epsilon", 1e-5);
  FailureOr<int64_t> stash = node.getIntAttr("stash_type", 1);
  FailureOr<Value> x = node.getInput(0), scale = node.getInput(1);
  FailureOr<Value> bias = node.getOptionalInput(2);
  if (failed(axisAttr) || failed(epsilon) || failed(stash) || failed(x) ||
      failed(scale) || failed(bias))
    return failure();
  if (node.hasOutput(1) || node.hasOutput(2))
    return node.fail("the mean and inverse-std outputs are not supported");
  FailureOr<int64_t> axis = node.normalizeAxis(
      *axisAttr, cast<RankedTensorType>(x->getType()).getRank());
  if (failed(axis))
    return failure();
  OpBuilder &b = node.getBuilder();
  return node.setOutput(0, node.createOp<LayerNormOp>(
                               *x, *scale, *bias, b.getI64IntegerAttr(*axis),
                               b.getF32FloatAttr(*epsilon)));
}

template <bool isMax> LogicalResult convertPool(NodeImport &node) {
  FailureOr<Value> x = node.getInput(0);
  FailureOr<int64_t> ceil = node.getIntAttr("ceil_mode", 0);
  FailureOr<int64_t> includePad = node.getIntAttr("count_include_pad", 0);
  FailureOr<int64_t> storage = node.getIntAttr("storage_order", 0);
  if (failed(x) || failed(ceil) || failed(includePad) || failed(storage))
    return failure();
  if (node.hasOutput(1))
    return node.fail("the Indices output is not supported");
  if (*storage != 0)
    return node.fail("storage_order=1 is not supported");
  auto type = cast<RankedTensorType>(x->getType());
  int64_t rank = type.getRank();
  if (rank != 3 && rank != 4)
    return node.fail("only 1-D and 2-D pooling is supported");
  if (!node.getAttr("kernel_shape"))
    return node.fail("expects a kernel_shape");
  FailureOr<Window> window =
      readWindow(node, type.getShape().drop_front(2), {});
  if (failed(window))
    return failure();
  OpBuilder &b = node.getBuilder();
  Value input = *x;
  Window w = *window;
  if (rank == 3) {
    input = node.createOp<UnsqueezeOp>(input, b.getDenseI64ArrayAttr({2}));
    w = lift1D(*window);
  }
  Value y;
  if constexpr (isMax) {
    y = node.createOp<MaxPoolOp>(
        input, b.getDenseI64ArrayAttr(w.kernel),
        b.getDenseI64ArrayAttr(w.strides), b.getDenseI64ArrayAttr(w.dilations),
        b.getDenseI64ArrayAttr(w.pads), b.getBoolAttr(*ceil != 0));
  } else {
    if (llvm::any_of(w.dilations, [](int64_t d) { return d != 1; }))
      return node.fail("dilated average pooling is not supported");
    y = node.createOp<AvgPoolOp>(
        input, b.getDenseI64ArrayAttr(w.kernel),
        b.getDenseI64ArrayAttr(w.strides), b.getDenseI64ArrayAttr(w.pads),
        b.getBoolAttr(*ceil != 0), b.getBoolAttr(*includePad != 0));
  }
  if (rank == 3)
    y = node.createOp<SqueezeOp>(y, b.getDenseI64ArrayAttr({2}));
  return node.setOutput(0, y);
}

LogicalResult convertGlobalAvgPool(NodeImport &node) {
  FailureOr<Value> x = node.getInput(0);
  if (failed(x))
    return failure();
  return node.setOutput(0, node.createOp<GlobalAvgPoolOp>(*x));
}

LogicalResult convertGlobalMaxPool(NodeImport &node) {
  FailureOr<Value> x = node.getInput(0);
  if (failed(x))
    return failure();
  int64_t rank = cast<RankedTensorType>(x->getType()).getRank();
  if (rank < 3)
    return node.fail("expects an input of rank >= 3");
  OpBuilder &b = node.getBuilder();
  SmallVector<int64_t> axes = llvm::to_vector(llvm::seq<int64_t>(2, rank));
  return node.setOutput(
      0, node.createOp<ReduceMaxOp>(*x, b.getDenseI64ArrayAttr(axes),
                                    b.getBoolAttr(true)));
}
} // namespace

void onnx_import::addNNConverters(ConverterTable &table) {
  table["Conv"] = convertConv;
  table["MatMul"] = convertMatMul;
  table["Gemm"] = convertGemm;
  table["BatchNormalization"] = convertBatchNorm;
  table["LayerNormalization"] = convertLayerNorm;
  table["MaxPool"] = convertPool<true>;
  table["AveragePool"] = convertPool<false>;
  table["GlobalAveragePool"] = convertGlobalAvgPool;
  table["GlobalMaxPool"] = convertGlobalMaxPool;
}
