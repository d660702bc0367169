//===- LowerNN.cpp - Convolution, matmul, pooling, norms to linalg --------===//
//
// The compute-heavy layers become linalg's named structured ops (conv,
// matmul, pooling), which later tiling and vectorization recognize, plus a
// `linalg.generic` epilogue for what they do not cover (bias, activation,
// scaling, the average's divisor). Every accumulator starts from a filled
// `outs` tensor; padding is an explicit `tensor.pad`. Shapes are static, so
// everything that depends only on shapes (pads for ceil mode, average-pool
// divisors) is computed here at compile time.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "octet/Codegen/Passes.h"
#include "octet/IR/OctetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

#include <limits>

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::lowering;

namespace {
constexpr double kNegInf = -std::numeric_limits<double>::infinity();

RankedTensorType tensorType(ArrayRef<int64_t> shape, Type elementType) {
  return RankedTensorType::get(shape, elementType);
}

ArrayRef<int64_t> shapeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getShape();
}

Type elementTypeOf(Value v) {
  return cast<RankedTensorType>(v.getType()).getElementType();
}

/// `strides`/`dilations` as the named conv and pool ops spell them.
NamedAttribute windowAttr(OpBuilder &b, StringRef name,
                          ArrayRef<int64_t> values) {
  return b.getNamedAttr(name, b.getI64TensorAttr(values));
}

/// Pads the spatial dimensions of an NCHW tensor with the scalar
/// `padValue`.
Value padSpatial(OpBuilder &b, Location loc, Value x, int64_t top, int64_t left,
                 int64_t bottom, int64_t right, Value padValue) {
  if (top == 0 && left == 0 && bottom == 0 && right == 0)
    return x;
  ArrayRef<int64_t> shape = shapeOf(x);
  auto type = tensorType(
      {shape[0], shape[1], shape[2] + top + bottom, shape[3] + left + right},
      elementTypeOf(x));
  SmallVector<OpFoldResult> low = {b.getIndexAttr(0), b.getIndexAttr(0),
                                   b.getIndexAttr(top), b.getIndexAttr(left)};
  SmallVector<OpFoldResult> high = {b.getIndexAttr(0), b.getIndexAttr(0),
                                    b.getIndexAttr(bottom),
                                    b.getIndexAttr(right)};
  return tensor::PadOp::create(b, loc, type, x, low, high, padValue);
}

Value padSpatial(OpBuilder &b, Location loc, Value x, int64_t top, int64_t left,
                 int64_t bottom, int64_t right, double value) {
  if (top == 0 && left == 0 && bottom == 0 && right == 0)
    return x;
  return padSpatial(b, loc, x, top, left, bottom, right,
                    floatConstant(b, loc, elementTypeOf(x), value));
}

/// The input extent a window op reads along one dimension.
int64_t windowSpan(int64_t out, int64_t kernel, int64_t stride,
                   int64_t dilation) {
  return (out - 1) * stride + dilation * (kernel - 1) + 1;
}

/// Reshapes `x` to `shape`: one collapse or expand wherever the patterns
/// below call it.
Value reshape(OpBuilder &b, Location loc, Value x, ArrayRef<int64_t> shape) {
  return reshapeStaticTensor(b, loc, x, tensorType(shape, elementTypeOf(x)));
}

//===----------------------------------------------------------------------===//
// conv2d
//===----------------------------------------------------------------------===//

struct Conv2DLowering : OpRewritePattern<Conv2DOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(Conv2DOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> in = shapeOf(op.getInput()), w = shapeOf(op.getWeight());
    ArrayRef<int64_t> out = resultType.getShape();
    ArrayRef<int64_t> pads = op.getPads();
    int64_t group = op.getGroup(), channels = in[1], filters = w[0];
    Value input = padSpatial(rewriter, loc, op.getInput(), pads[0], pads[1],
                             pads[2], pads[3], 0.0);
    SmallVector<NamedAttribute> attrs = {
        windowAttr(rewriter, "strides", op.getStrides()),
        windowAttr(rewriter, "dilations", op.getDilations())};

    Value conv;
    if (group == 1) {
      Value init = filledTensor(rewriter, loc, resultType, 0.0);
      conv = linalg::Conv2DNchwFchwOp::create(
                 rewriter, loc, TypeRange{resultType},
                 ValueRange{input, op.getWeight()}, ValueRange{init}, attrs)
                 .getResult(0);
    } else if (group == channels && filters == channels) {
      // Depthwise: [C, 1, kH, kW] weights drop their unit dimension.
      Value weight = reshape(rewriter, loc, op.getWeight(), {w[0], w[2], w[3]});
      Value init = filledTensor(rewriter, loc, resultType, 0.0);
      conv = linalg::DepthwiseConv2DNchwChwOp::create(
                 rewriter, loc, TypeRange{resultType},
                 ValueRange{input, weight}, ValueRange{init}, attrs)
                 .getResult(0);
    } else {
      // Grouped: split the channel dimensions into [G, C/G] and [G, O/G].
      ArrayRef<int64_t> padded = shapeOf(input);
      Value groupedInput =
          reshape(rewriter, loc, input,
                  {padded[0], group, channels / group, padded[2], padded[3]});
      Value weight = reshape(rewriter, loc, op.getWeight(),
                             {group, filters / group, w[1], w[2], w[3]});
      auto groupedType =
          tensorType({out[0], group, filters / group, out[2], out[3]},
                     resultType.getElementType());
      Value init = filledTensor(rewriter, loc, groupedType, 0.0);
      Value grouped =
          linalg::Conv2DNgchwGfchwOp::create(
              rewriter, loc, TypeRange{groupedType},
              ValueRange{groupedInput, weight}, ValueRange{init}, attrs)
              .getResult(0);
      conv = reshape(rewriter, loc, grouped, out);
    }

    // One epilogue adds the per-channel bias and applies the activation.
    Attribute act = op.getActivationAttr();
    if (op.getBias() || act) {
      SmallVector<Value> inputs = {conv};
      SmallVector<AffineMap> maps = {rewriter.getMultiDimIdentityMap(4)};
      if (Value bias = op.getBias()) {
        inputs.push_back(bias);
        maps.push_back(projectionMap(rewriter.getContext(), 4, {1}));
      }
      conv = buildMappedElementwise(
          rewriter, loc, resultType, inputs, maps,
          [&](OpBuilder &b, Location l, ValueRange args) {
            Value x = args[0];
            if (args.size() > 1)
              x = arith::AddFOp::create(b, l, x, args[1]);
            return applyActivation(b, l, x, act);
          });
    }
    rewriter.replaceOp(op, conv);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// matmul and gemm
//===----------------------------------------------------------------------===//

/// Materializes `x` (`[batch..., R, C]`, batch dimensions broadcastable to
/// `batch`) as `[prod(batch), R, C]`.
Value broadcastBatch(OpBuilder &b, Location loc, Value x,
                     ArrayRef<int64_t> batch) {
  ArrayRef<int64_t> shape = shapeOf(x);
  SmallVector<int64_t> full(batch);
  full.append(shape.end() - 2, shape.end());
  if (shape != ArrayRef<int64_t>(full))
    x = buildElementwise(
        b, loc, tensorType(full, elementTypeOf(x)), x,
        [](OpBuilder &, Location, ValueRange args) { return args[0]; });
  int64_t count = 1;
  for (int64_t d : batch)
    count *= d;
  return reshape(b, loc, x, {count, full[full.size() - 2], full.back()});
}

struct MatMulLowering : OpRewritePattern<MatMulOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MatMulOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    Value lhs = op.getLhs(), rhs = op.getRhs();
    // numpy promotes a vector to a matrix and drops the new dimension from
    // the result; the final reshape below drops it.
    if (shapeOf(lhs).size() == 1)
      lhs = reshape(rewriter, loc, lhs, {1, shapeOf(lhs)[0]});
    if (shapeOf(rhs).size() == 1)
      rhs = reshape(rewriter, loc, rhs, {shapeOf(rhs)[0], 1});
    ArrayRef<int64_t> l = shapeOf(lhs), r = shapeOf(rhs);
    int64_t m = l[l.size() - 2], k = l.back(), n = r.back();

    // The broadcast batch shape, right-aligned as numpy does.
    size_t batchRank = std::max(l.size(), r.size()) - 2;
    SmallVector<int64_t> batch(batchRank, 1);
    for (ArrayRef<int64_t> s : {l.drop_back(2), r.drop_back(2)})
      for (auto [i, d] : llvm::enumerate(s))
        if (d != 1)
          batch[batchRank - s.size() + i] = d;
    int64_t batchCount = 1;
    for (int64_t d : batch)
      batchCount *= d;

    Value product;
    if (r.size() == 2) {
      // A shared right-hand matrix (the batch is then lhs's own): fold the
      // batch into the rows of one matmul.
      Value rows = reshape(rewriter, loc, lhs, {batchCount * m, k});
      product = buildMatmul(rewriter, loc, rows, rhs);
    } else {
      Value a = broadcastBatch(rewriter, loc, lhs, batch);
      Value bm = broadcastBatch(rewriter, loc, rhs, batch);
      auto type = tensorType({batchCount, m, n}, elementType);
      Value init = filledTensor(rewriter, loc, type, 0.0);
      product =
          linalg::BatchMatmulOp::create(rewriter, loc, TypeRange{type},
                                        ValueRange{a, bm}, ValueRange{init})
              .getResult(0);
    }
    rewriter.replaceOp(op,
                       reshape(rewriter, loc, product, resultType.getShape()));
    return success();
  }
};

/// Transposes a matrix with `linalg.transpose`.
Value transposeMatrix(OpBuilder &b, Location loc, Value x) {
  ArrayRef<int64_t> s = shapeOf(x);
  Value init = emptyTensor(b, loc, tensorType({s[1], s[0]}, elementTypeOf(x)));
  return linalg::TransposeOp::create(b, loc, x, init, ArrayRef<int64_t>{1, 0})
      .getResult()[0];
}

struct GemmLowering : OpRewritePattern<GemmOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GemmOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    Value a = op.getA(), bm = op.getB();
    if (op.getTransA())
      a = transposeMatrix(rewriter, loc, a);
    if (op.getTransB())
      bm = transposeMatrix(rewriter, loc, bm);
    Value product = buildMatmul(rewriter, loc, a, bm);

    double alpha = op.getAlpha().convertToDouble();
    double beta = op.getBeta().convertToDouble();
    Attribute act = op.getActivationAttr();
    Value c = op.getC();
    if (alpha != 1.0 || c || act) {
      SmallVector<Value> inputs = {product};
      if (c)
        inputs.push_back(c);
      product = buildElementwise(
          rewriter, loc, resultType, inputs,
          [&](OpBuilder &b, Location l, ValueRange args) {
            Type t = args[0].getType();
            Value y = args[0];
            if (alpha != 1.0)
              y = arith::MulFOp::create(b, l, y, floatConstant(b, l, t, alpha));
            if (args.size() > 1) {
              Value cv = args[1];
              if (beta != 1.0)
                cv = arith::MulFOp::create(b, l, cv,
                                           floatConstant(b, l, t, beta));
              y = arith::AddFOp::create(b, l, y, cv);
            }
            return applyActivation(b, l, y, act);
          });
    }
    rewriter.replaceOp(op, product);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// batch_norm
//===----------------------------------------------------------------------===//

struct BatchNormLowering : OpRewritePattern<BatchNormOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(BatchNormOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    auto paramType = cast<RankedTensorType>(op.getScale().getType());
    double epsilon = op.getEpsilon().convertToDouble();
    // Per channel first: factor = scale / sqrt(variance + epsilon).
    Value factor = buildElementwise(
        rewriter, loc, paramType, {op.getScale(), op.getVariance()},
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value eps = floatConstant(b, l, args[1].getType(), epsilon);
          Value sd = math::SqrtOp::create(
              b, l, arith::AddFOp::create(b, l, args[1], eps));
          return arith::DivFOp::create(b, l, args[0], sd).getResult();
        });
    // Then y = (x - mean) * factor + bias, parameters read along axis 1.
    unsigned rank = resultType.getRank();
    AffineMap channel = projectionMap(ctx, rank, {1});
    Value y = buildMappedElementwise(
        rewriter, loc, resultType,
        {op.getInput(), op.getMean(), factor, op.getBias()},
        {rewriter.getMultiDimIdentityMap(rank), channel, channel, channel},
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value centered = arith::SubFOp::create(b, l, args[0], args[1]);
          Value scaled = arith::MulFOp::create(b, l, centered, args[2]);
          return arith::AddFOp::create(b, l, scaled, args[3]).getResult();
        });
    rewriter.replaceOp(op, y);
    return success();
  }
};

//===----------------------------------------------------------------------===//
// Pooling
//===----------------------------------------------------------------------===//

/// The padding a 2-D window op needs: ONNX's pads plus, with ceil mode,
/// whatever the last window reaches past the end padding.
struct PoolPadding {
  int64_t top, left, bottom, right;
};

PoolPadding poolPadding(ArrayRef<int64_t> in, ArrayRef<int64_t> out,
                        ArrayRef<int64_t> kernel, ArrayRef<int64_t> strides,
                        ArrayRef<int64_t> dilations, ArrayRef<int64_t> pads) {
  int64_t extra[2];
  for (int i = 0; i < 2; ++i) {
    int64_t span = windowSpan(out[2 + i], kernel[i], strides[i], dilations[i]);
    extra[i] = std::max<int64_t>(0, span - (in[2 + i] + pads[i] + pads[2 + i]));
  }
  return {pads[0], pads[1], pads[2] + extra[0], pads[3] + extra[1]};
}

/// Max pooling of the 8-bit storage of a quantized tensor: a generic
/// pooling loop nest comparing signed (i8) or unsigned (ui8) by type, which
/// the named op cannot express for ui8. Padding holds the type's lowest
/// value, so it never wins.
Value integerMaxPool(OpBuilder &b, Location loc, MaxPoolOp op,
                     const PoolPadding &p) {
  MLIRContext *ctx = b.getContext();
  auto resultType = cast<RankedTensorType>(op.getType());
  auto element = cast<IntegerType>(resultType.getElementType());
  bool isUnsigned = element.isUnsigned();
  unsigned width = element.getWidth();
  APInt lowest = isUnsigned ? APInt::getMinValue(width)
                            : APInt::getSignedMinValue(width);
  Value lowestValue = fromSignless(
      b, loc,
      arith::ConstantOp::create(
          b, loc, b.getIntegerAttr(b.getIntegerType(width), lowest)),
      element);
  Value input = padSpatial(b, loc, op.getInput(), p.top, p.left, p.bottom,
                           p.right, lowestValue);
  ArrayRef<int64_t> kernel = op.getKernelShape();
  ArrayRef<int64_t> strides = op.getStrides(), dilations = op.getDilations();
  Value init =
      linalg::FillOp::create(b, loc, lowestValue,
                             emptyTensor(b, loc, resultType))
          .getResult(0);
  Value window = emptyTensor(b, loc, tensorType(kernel, element));
  // Loops (n, c, oh, ow, kh, kw).
  auto d = [&](unsigned i) { return getAffineDimExpr(i, ctx); };
  SmallVector<AffineMap> maps = {
      AffineMap::get(6, 0,
                     {d(0), d(1), d(2) * strides[0] + d(4) * dilations[0],
                      d(3) * strides[1] + d(5) * dilations[1]},
                     ctx),
      AffineMap::get(6, 0, {d(4), d(5)}, ctx),
      AffineMap::get(6, 0, {d(0), d(1), d(2), d(3)}, ctx)};
  SmallVector<utils::IteratorType> iterators(4, utils::IteratorType::parallel);
  iterators.append(2, utils::IteratorType::reduction);
  auto generic = linalg::GenericOp::create(
      b, loc, resultType, ValueRange{input, window}, ValueRange{init}, maps,
      iterators, [&](OpBuilder &nb, Location l, ValueRange args) {
        Value x = toSignless(nb, l, args[0]);
        Value acc = toSignless(nb, l, args[2]);
        Value max = isUnsigned
                        ? arith::MaxUIOp::create(nb, l, x, acc).getResult()
                        : arith::MaxSIOp::create(nb, l, x, acc).getResult();
        linalg::YieldOp::create(nb, l, fromSignless(nb, l, max, element));
      });
  return generic.getResult(0);
}

struct MaxPoolLowering : OpRewritePattern<MaxPoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(MaxPoolOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> kernel = op.getKernelShape();
    PoolPadding p =
        poolPadding(shapeOf(op.getInput()), resultType.getShape(), kernel,
                    op.getStrides(), op.getDilations(), op.getPads());
    if (isa<IntegerType>(resultType.getElementType())) {
      rewriter.replaceOp(op, integerMaxPool(rewriter, loc, op, p));
      return success();
    }
    // Padded positions hold -inf, so they never win.
    Value input = padSpatial(rewriter, loc, op.getInput(), p.top, p.left,
                             p.bottom, p.right, kNegInf);
    Value window = emptyTensor(rewriter, loc,
                               tensorType(kernel, resultType.getElementType()));
    Value init = filledTensor(rewriter, loc, resultType, kNegInf);
    Value pooled = linalg::PoolingNchwMaxOp::create(
                       rewriter, loc, TypeRange{resultType},
                       ValueRange{input, window}, ValueRange{init},
                       {windowAttr(rewriter, "strides", op.getStrides()),
                        windowAttr(rewriter, "dilations", op.getDilations())})
                       .getResult(0);
    rewriter.replaceOp(op, pooled);
    return success();
  }
};

/// How many positions of each window along one dimension count towards the
/// average: those inside the input, or with `includePad` those inside the
/// padded input. Positions a ceil-mode window reaches past the end padding
/// never count (as in ONNX's reference and onnxruntime).
SmallVector<int64_t> windowCounts(int64_t in, int64_t out, int64_t kernel,
                                  int64_t stride, int64_t padBegin,
                                  int64_t padEnd, bool includePad) {
  SmallVector<int64_t> counts;
  int64_t lo = includePad ? 0 : padBegin;
  int64_t hi = includePad ? in + padBegin + padEnd : in + padBegin;
  for (int64_t o = 0; o < out; ++o) {
    int64_t start = o * stride;
    int64_t begin = std::max(start, lo), end = std::min(start + kernel, hi);
    counts.push_back(std::max<int64_t>(end - begin, 0));
  }
  return counts;
}

struct AvgPoolLowering : OpRewritePattern<AvgPoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(AvgPoolOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    MLIRContext *ctx = rewriter.getContext();
    auto resultType = cast<RankedTensorType>(op.getType());
    Type elementType = resultType.getElementType();
    ArrayRef<int64_t> in = shapeOf(op.getInput()), out = resultType.getShape();
    ArrayRef<int64_t> kernel = op.getKernelShape(), strides = op.getStrides();
    ArrayRef<int64_t> pads = op.getPads();
    SmallVector<int64_t> dilations = {1, 1};
    PoolPadding p = poolPadding(in, out, kernel, strides, dilations, pads);
    Value input = padSpatial(rewriter, loc, op.getInput(), p.top, p.left,
                             p.bottom, p.right, 0.0);
    Value window = emptyTensor(rewriter, loc, tensorType(kernel, elementType));
    Value init = filledTensor(rewriter, loc, resultType, 0.0);
    Value sum = linalg::PoolingNchwSumOp::create(
                    rewriter, loc, TypeRange{resultType},
                    ValueRange{input, window}, ValueRange{init},
                    {windowAttr(rewriter, "strides", strides),
                     windowAttr(rewriter, "dilations", dilations)})
                    .getResult(0);

    // The divisor of each output position, a compile-time [OH, OW] table.
    bool includePad = op.getCountIncludePad();
    SmallVector<int64_t> rows = windowCounts(
        in[2], out[2], kernel[0], strides[0], pads[0], pads[2], includePad);
    SmallVector<int64_t> cols = windowCounts(
        in[3], out[3], kernel[1], strides[1], pads[1], pads[3], includePad);
    SmallVector<Attribute> divisors;
    for (int64_t r : rows)
      for (int64_t c : cols)
        divisors.push_back(rewriter.getFloatAttr(
            elementType, double(std::max<int64_t>(r * c, 1))));
    auto divisorType = tensorType({out[2], out[3]}, elementType);
    Value divisor = arith::ConstantOp::create(
        rewriter, loc, DenseElementsAttr::get(divisorType, divisors));
    Value avg = buildMappedElementwise(
        rewriter, loc, resultType, {sum, divisor},
        {rewriter.getMultiDimIdentityMap(4), projectionMap(ctx, 4, {2, 3})},
        [](OpBuilder &b, Location l, ValueRange args) {
          return arith::DivFOp::create(b, l, args[0], args[1]).getResult();
        });
    rewriter.replaceOp(op, avg);
    return success();
  }
};

struct GlobalAvgPoolLowering : OpRewritePattern<GlobalAvgPoolOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GlobalAvgPoolOp op,
                                PatternRewriter &rewriter) const override {
    Location loc = op.getLoc();
    auto resultType = cast<RankedTensorType>(op.getType());
    ArrayRef<int64_t> in = shapeOf(op.getInput());
    SmallVector<int64_t> spatial;
    int64_t count = 1;
    for (int64_t i = 2, e = in.size(); i < e; ++i) {
      spatial.push_back(i);
      count *= in[i];
    }
    Value sum =
        buildReduce(rewriter, loc, op.getInput(), spatial, 0.0,
                    [](OpBuilder &b, Location l, Value x, Value acc) {
                      return arith::AddFOp::create(b, l, x, acc).getResult();
                    });
    Value avg = buildElementwise(
        rewriter, loc, cast<RankedTensorType>(sum.getType()), sum,
        [&](OpBuilder &b, Location l, ValueRange args) {
          Value n = floatConstant(b, l, args[0].getType(), double(count));
          return arith::DivFOp::create(b, l, args[0], n).getResult();
        });
    rewriter.replaceOp(op, reshape(rewriter, loc, avg, resultType.getShape()));
    return success();
  }
};
} // namespace

void mlir::octet::populateLowerNNPatterns(RewritePatternSet &patterns) {
  patterns.add<Conv2DLowering, MatMulLowering, GemmLowering, BatchNormLowering,
               MaxPoolLowering, AvgPoolLowering, GlobalAvgPoolLowering>(
      patterns.getContext());
}
