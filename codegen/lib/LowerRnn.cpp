//===- LowerRnn.cpp - GRU and LSTM octet ops to an scf.for of linalg ------===//
//
// ONNX GRU and LSTM (layout 0, default activations). Each direction is one
// `scf.for` over the sequence carrying the hidden (and cell) state and the
// result `y`. The input projection x·Wᵀ + Wb (+ Rb where it is linear) of
// every time step is one matmul hoisted before the loop; the loop body
// multiplies the state by Rᵀ, computes the gates in a `linalg.generic` and
// inserts the new state into `y`. A reverse direction walks t = seq-1 .. 0
// and writes each state at its own time step, as ONNX specifies. With int8
// weights (dynamic quantization) both products quantize their float
// operand at run time and multiply on integers.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "octet/Codegen/Passes.h"
#include "octet/IR/OctetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/Dialect/SCF/IR/SCF.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::lowering;

namespace {
/// The operands of one recurrent layer, gates in ONNX order.
struct RnnLayer {
  Value x, w, r, bias, initialH, initialC, peepholes;
  int64_t hidden, gates;
  RnnDirection direction;
  bool linearBeforeReset = false; // GRU only
  // Dynamically quantized: w and r are their int8 storage, one scale per
  // row; empty for float weights.
  SmallVector<double> wScales, rScales;
  bool isLstm() const { return gates == 4; }
};

/// A recurrent weight operand: float, or int8 storage with its row scales.
std::pair<Value, SmallVector<double>> rnnWeight(OpBuilder &b, Location loc,
                                                Value weight) {
  auto type = cast<RankedTensorType>(weight.getType());
  auto perAxis =
      dyn_cast<quant::UniformQuantizedPerAxisType>(type.getElementType());
  if (!perAxis)
    return {weight, {}};
  Value storage;
  if (auto scast = weight.getDefiningOp<quant::StorageCastOp>())
    storage = scast.getInput();
  else
    storage = quant::StorageCastOp::create(
        b, loc, type.clone(perAxis.getStorageType()), weight);
  return {storage, SmallVector<double>(perAxis.getScales())};
}

Value sigmoid(OpBuilder &b, Location loc, Value x) {
  Value one = floatConstant(b, loc, x.getType(), 1.0);
  Value e = math::ExpOp::create(b, loc, arith::NegFOp::create(b, loc, x));
  return arith::DivFOp::create(b, loc, one,
                               arith::AddFOp::create(b, loc, one, e));
}

Value add(OpBuilder &b, Location loc, Value x, Value y) {
  return arith::AddFOp::create(b, loc, x, y);
}
Value mul(OpBuilder &b, Location loc, Value x, Value y) {
  return arith::MulFOp::create(b, loc, x, y);
}

/// `source[offsets...]` of static `sizes`, dropping the leading unit
/// dimensions so the result has `sizes.size() - drop` dimensions.
Value sliceAt(OpBuilder &b, Location loc, Value source,
              ArrayRef<OpFoldResult> offsets, ArrayRef<int64_t> sizes,
              int64_t drop) {
  auto type = cast<RankedTensorType>(source.getType());
  auto resultType =
      RankedTensorType::get(sizes.drop_front(drop), type.getElementType());
  SmallVector<OpFoldResult> strides(sizes.size(), b.getIndexAttr(1));
  return tensor::ExtractSliceOp::create(
      b, loc, resultType, source, offsets,
      getAsIndexOpFoldResult(b.getContext(), sizes), strides);
}

/// A constant-offset `slice`.
Value slice(OpBuilder &b, Location loc, Value source, ArrayRef<int64_t> offsets,
            ArrayRef<int64_t> sizes, int64_t drop) {
  return sliceAt(b, loc, source,
                 getAsIndexOpFoldResult(b.getContext(), offsets), sizes, drop);
}

Value transpose2D(OpBuilder &b, Location loc, Value m) {
  auto type = cast<RankedTensorType>(m.getType());
  auto resultType = RankedTensorType::get(
      {type.getDimSize(1), type.getDimSize(0)}, type.getElementType());
  return linalg::TransposeOp::create(b, loc, m, emptyTensor(b, loc, resultType),
                                     ArrayRef<int64_t>{1, 0})
      ->getResult(0);
}

/// The gate blocks of a [batch, gates·hidden] tensor (or [gates·hidden]
/// vector): `gates` slices [batch, hidden] (or [hidden]) that bufferize to
/// views.
SmallVector<Value> splitGates(OpBuilder &b, Location loc, Value m,
                              int64_t gates, int64_t hidden) {
  auto type = cast<RankedTensorType>(m.getType());
  SmallVector<Value> blocks;
  for (int64_t g = 0; g < gates; ++g) {
    if (type.getRank() == 1) {
      blocks.push_back(slice(b, loc, m, {g * hidden}, {hidden}, 0));
      continue;
    }
    blocks.push_back(
        slice(b, loc, m, {0, g * hidden}, {type.getDimSize(0), hidden}, 0));
  }
  return blocks;
}

/// One `linalg.generic` over [batch, hidden] writing into `inits` from
/// [batch, hidden] states and [hidden] vectors (broadcast over batch). The
/// loop writes its new state into the carried one (an `inits` entry), so
/// that bufferization keeps one buffer per state across iterations.
SmallVector<Value> gateGeneric(
    OpBuilder &b, Location loc, ValueRange inputs, ValueRange inits,
    function_ref<SmallVector<Value>(OpBuilder &, Location, ValueRange)> body) {
  auto stateType = cast<RankedTensorType>(inits.front().getType());
  SmallVector<AffineMap> maps;
  for (Value in : inputs)
    maps.push_back(broadcastMap(b.getContext(),
                                cast<RankedTensorType>(in.getType()).getShape(),
                                stateType.getShape()));
  maps.append(inits.size(), b.getMultiDimIdentityMap(2));
  auto generic = linalg::GenericOp::create(
      b, loc, inits.getTypes(), inputs, inits, maps,
      {utils::IteratorType::parallel, utils::IteratorType::parallel},
      [&](OpBuilder &nb, Location l, ValueRange args) {
        linalg::YieldOp::create(nb, l,
                                body(nb, l, args.drop_back(inits.size())));
      });
  return SmallVector<Value>(generic.getResults());
}

/// int8 weights widened to i32 once, outside the loop.
Value widenWeight(OpBuilder &b, Location loc, Value w) {
  auto type = cast<RankedTensorType>(w.getType());
  return buildElementwise(
      b, loc, type.clone(b.getI32Type()), w,
      [](OpBuilder &nb, Location l, ValueRange args) {
        return arith::ExtSIOp::create(nb, l, nb.getI32Type(), args[0])
            .getResult();
      });
}

/// a · w for float `a` [M, K] and int8 weights `w` (widened, [K, N]) with
/// one scale per column: `a` is quantized at run time to u8 over its own
/// range including 0, with dynamic_quantize_linear's parameters, the product
/// is exact in int32, then scaled back by s_a · s_w[n].
Value dynamicQuantizedMatmul(OpBuilder &b, Location loc, Value a, Value w,
                             ArrayRef<double> scales) {
  MLIRContext *ctx = b.getContext();
  auto aType = cast<RankedTensorType>(a.getType());
  Type f32 = b.getF32Type();
  DynamicQuantization params = buildDynamicQuantization(b, loc, a);
  Value scale = params.scale, zp = params.zeroPoint;
  // q - zp as i32, q = saturate(round_half_even(a / scale) + zp).
  Value centered = buildElementwise(
      b, loc, aType.clone(b.getI32Type()), a,
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value q = math::RoundEvenOp::create(
            nb, l, arith::DivFOp::create(nb, l, args[0], scale));
        q = clampToU8(nb, l, arith::AddFOp::create(nb, l, q, zp));
        return arith::FPToSIOp::create(nb, l, nb.getI32Type(),
                                       arith::SubFOp::create(nb, l, q, zp))
            .getResult();
      });
  Value acc = buildMatmul(b, loc, centered, w);
  auto accType = cast<RankedTensorType>(acc.getType());
  int64_t n = accType.getDimSize(1);
  SmallVector<Attribute> columnScales;
  for (double sw : scales)
    columnScales.push_back(b.getF32FloatAttr(sw));
  Value weightScales = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get({n}, f32), columnScales));
  return buildMappedElementwise(
      b, loc, accType.clone(f32), {acc, weightScales},
      {b.getMultiDimIdentityMap(2), projectionMap(ctx, 2, {1})},
      [&](OpBuilder &nb, Location l, ValueRange args) {
        Value multiplier = arith::MulFOp::create(nb, l, scale, args[1]);
        Value y = arith::SIToFPOp::create(nb, l, f32, args[0]);
        return arith::MulFOp::create(nb, l, y, multiplier).getResult();
      });
}

/// What one direction's loop reads besides the carried states, all loop
/// invariant.
struct DirectionInputs {
  Value xw;                 // [seq, batch, gates·hidden]: x·Wᵀ + biases
  Value rT;                 // [hidden, gates·hidden]
  Value rTzr, rTh;          // GRU without linear_before_reset: rT split
  // Quantized r: rT (and its split) are widened int8, these their column
  // scales; empty for float weights.
  SmallVector<double> rScales, rScalesZr, rScalesH;
  Value resetBias;          // GRU with linear_before_reset: Rbh, or null
  SmallVector<Value> peeps; // LSTM: peepholes i, o, f, or empty
};

/// h · rT, on integers when r is quantized.
Value recurrentMatmul(OpBuilder &b, Location loc, Value h, Value rT,
                      ArrayRef<double> scales) {
  if (scales.empty())
    return buildMatmul(b, loc, h, rT);
  return dynamicQuantizedMatmul(b, loc, h, rT, scales);
}

Value sigmoidOf(OpBuilder &b, Location loc, Value x, Value y) {
  return sigmoid(b, loc, add(b, loc, x, y));
}

/// One LSTM step, gates i, o, f, c: returns the new {h, c}, written into
/// the carried ones.
SmallVector<Value> lstmStep(OpBuilder &b, Location loc,
                            const DirectionInputs &in, Value xt, Value h,
                            Value c, int64_t hidden) {
  SmallVector<Value> ins = splitGates(b, loc, xt, 4, hidden);
  ins.append(splitGates(
      b, loc, recurrentMatmul(b, loc, h, in.rT, in.rScales), 4, hidden));
  ins.push_back(c);
  ins.append(in.peeps);
  bool peep = !in.peeps.empty();
  return gateGeneric(
      b, loc, ins, {h, c}, [&](OpBuilder &nb, Location l, ValueRange a) {
        Value cPrev = a[8];
        Value pi = add(nb, l, a[0], a[4]), po = add(nb, l, a[1], a[5]);
        Value pf = add(nb, l, a[2], a[6]), pc = add(nb, l, a[3], a[7]);
        if (peep) {
          pi = add(nb, l, pi, mul(nb, l, a[9], cPrev));
          pf = add(nb, l, pf, mul(nb, l, a[11], cPrev));
        }
        Value it = sigmoid(nb, l, pi), ft = sigmoid(nb, l, pf);
        Value ct = math::TanhOp::create(nb, l, pc);
        Value cNew = add(nb, l, mul(nb, l, ft, cPrev), mul(nb, l, it, ct));
        // The output gate peeks at the new cell state.
        if (peep)
          po = add(nb, l, po, mul(nb, l, a[10], cNew));
        Value hNew =
            mul(nb, l, sigmoid(nb, l, po), math::TanhOp::create(nb, l, cNew));
        return SmallVector<Value>{hNew, cNew};
      });
}

/// (1 - z) ⊙ ĥ + z ⊙ h.
Value blend(OpBuilder &b, Location loc, Value z, Value hh, Value hPrev) {
  Value keep =
      arith::SubFOp::create(b, loc, floatConstant(b, loc, z.getType(), 1.0), z);
  return add(b, loc, mul(b, loc, keep, hh), mul(b, loc, z, hPrev));
}

/// One GRU step, gates z, r, h: returns the new h, written into the carried
/// one.
Value gruStep(OpBuilder &b, Location loc, const DirectionInputs &in, Value xt,
              Value h, int64_t hidden, bool linearBeforeReset) {
  SmallVector<Value> xg = splitGates(b, loc, xt, 3, hidden);
  if (linearBeforeReset) {
    // ĥ = tanh(x·Whᵀ + Wbh + r ⊙ (h·Rhᵀ + Rbh)): one matmul.
    SmallVector<Value> ins = xg;
    ins.append(splitGates(
        b, loc, recurrentMatmul(b, loc, h, in.rT, in.rScales), 3, hidden));
    ins.push_back(h);
    if (in.resetBias)
      ins.push_back(in.resetBias);
    bool bias = in.resetBias != nullptr;
    return gateGeneric(b, loc, ins, h,
                       [&](OpBuilder &nb, Location l, ValueRange a) {
                         Value z = sigmoidOf(nb, l, a[0], a[3]);
                         Value r = sigmoidOf(nb, l, a[1], a[4]);
                         Value hr = bias ? add(nb, l, a[5], a[7]) : a[5];
                         Value hh = math::TanhOp::create(
                             nb, l, add(nb, l, a[2], mul(nb, l, r, hr)));
                         return SmallVector<Value>{blend(nb, l, z, hh, a[6])};
                       })
        .front();
  }
  // ĥ = tanh(x·Whᵀ + (r ⊙ h)·Rhᵀ + Rbh + Wbh): the reset gate comes first,
  // then a second matmul.
  SmallVector<Value> hg = splitGates(
      b, loc, recurrentMatmul(b, loc, h, in.rTzr, in.rScalesZr), 2, hidden);
  auto stateType = cast<RankedTensorType>(h.getType());
  SmallVector<Value> zr = gateGeneric(
      b, loc, {xg[0], xg[1], hg[0], hg[1], h},
      {emptyTensor(b, loc, stateType), emptyTensor(b, loc, stateType)},
      [](OpBuilder &nb, Location l, ValueRange a) {
        Value r = sigmoidOf(nb, l, a[1], a[3]);
        return SmallVector<Value>{sigmoidOf(nb, l, a[0], a[2]),
                                  mul(nb, l, r, a[4])};
      });
  Value rh = recurrentMatmul(b, loc, zr[1], in.rTh, in.rScalesH);
  return gateGeneric(b, loc, {xg[2], rh, zr[0], h}, h,
                     [](OpBuilder &nb, Location l, ValueRange a) {
                       Value hh =
                           math::TanhOp::create(nb, l, add(nb, l, a[0], a[1]));
                       return SmallVector<Value>{blend(nb, l, a[2], hh, a[3])};
                     })
      .front();
}

/// The loop-invariant inputs of direction `d`.
DirectionInputs prepareDirection(OpBuilder &b, Location loc,
                                 const RnnLayer &layer, Value xFlat,
                                 int64_t d) {
  auto xType = cast<RankedTensorType>(layer.x.getType());
  Type elementType = xType.getElementType();
  int64_t seq = xType.getDimSize(0), batch = xType.getDimSize(1);
  int64_t input = xType.getDimSize(2), hidden = layer.hidden;
  int64_t width = layer.gates * hidden;
  DirectionInputs in;
  Value wT = transpose2D(
      b, loc, slice(b, loc, layer.w, {d, 0, 0}, {1, width, input}, 1));
  in.rT = transpose2D(b, loc,
                      slice(b, loc, layer.r, {d, 0, 0}, {1, width, hidden}, 1));

  // x·Wᵀ for all time steps at once, plus the biases that enter linearly:
  // Wb always, Rb except GRU's h gate under linear_before_reset, where the
  // reset gate multiplies it inside the loop.
  Value xw = layer.wScales.empty()
                 ? buildMatmul(b, loc, xFlat, wT)
                 : dynamicQuantizedMatmul(b, loc, xFlat,
                                          widenWeight(b, loc, wT),
                                          layer.wScales);
  if (!layer.rScales.empty()) {
    in.rT = widenWeight(b, loc, in.rT);
    in.rScales = layer.rScales;
  }
  if (layer.bias) {
    Value wb = slice(b, loc, layer.bias, {d, 0}, {1, width}, 1);
    Value rb = slice(b, loc, layer.bias, {d, width}, {1, width}, 1);
    if (layer.linearBeforeReset) {
      in.resetBias = slice(b, loc, rb, {2 * hidden}, {hidden}, 0);
      // Rb with its h block zeroed, as a fresh tensor (never written into
      // the caller's bias).
      rb = tensor::PadOp::create(
          b, loc, cast<RankedTensorType>(rb.getType()),
          slice(b, loc, rb, {0}, {2 * hidden}, 0),
          getAsIndexOpFoldResult(b.getContext(), {0}),
          getAsIndexOpFoldResult(b.getContext(), {hidden}),
          floatConstant(b, loc, elementType, 0.0));
    }
    xw = buildElementwise(
        b, loc, cast<RankedTensorType>(xw.getType()), {xw, wb, rb},
        [](OpBuilder &nb, Location l, ValueRange args) {
          return add(nb, l, args[0], add(nb, l, args[1], args[2]));
        });
  }
  in.xw = reshapeStaticTensor(
      b, loc, xw, RankedTensorType::get({seq, batch, width}, elementType));

  if (layer.peepholes)
    in.peeps = splitGates(
        b, loc, slice(b, loc, layer.peepholes, {d, 0}, {1, 3 * hidden}, 1), 3,
        hidden);
  if (!layer.isLstm() && !layer.linearBeforeReset) {
    in.rTzr = slice(b, loc, in.rT, {0, 0}, {hidden, 2 * hidden}, 0);
    in.rTh = slice(b, loc, in.rT, {0, 2 * hidden}, {hidden, hidden}, 0);
    if (!in.rScales.empty()) {
      ArrayRef<double> scales = in.rScales;
      in.rScalesZr.assign(scales.begin(), scales.begin() + 2 * hidden);
      in.rScalesH.assign(scales.begin() + 2 * hidden, scales.end());
    }
  }
  return in;
}

/// Lowers both directions of `layer`; returns {y, y_h[, y_c]}.
SmallVector<Value> lowerRnn(OpBuilder &b, Location loc, const RnnLayer &layer,
                            TypeRange resultTypes) {
  auto xType = cast<RankedTensorType>(layer.x.getType());
  Type elementType = xType.getElementType();
  int64_t seq = xType.getDimSize(0), batch = xType.getDimSize(1);
  int64_t hidden = layer.hidden, width = layer.gates * hidden;
  int64_t dirs = layer.direction == RnnDirection::bidirectional ? 2 : 1;
  auto stateType = RankedTensorType::get({batch, hidden}, elementType);
  auto empty = [&](Type type) {
    return emptyTensor(b, loc, cast<RankedTensorType>(type));
  };
  Value y = empty(resultTypes[0]), yH = empty(resultTypes[1]);
  Value yC = layer.isLstm() ? empty(resultTypes[2]) : Value();
  Value xFlat = reshapeStaticTensor(
      b, loc, layer.x,
      RankedTensorType::get({seq * batch, xType.getDimSize(2)}, elementType));

  for (int64_t d = 0; d < dirs; ++d) {
    bool reverse = layer.direction == RnnDirection::reverse || d == 1;
    DirectionInputs in = prepareDirection(b, loc, layer, xFlat, d);

    // The loop updates its states in place, so a given initial state is
    // copied first: the caller's initial_h/initial_c stay untouched.
    auto initialState = [&](Value given) -> Value {
      if (!given)
        return zeroTensor(b, loc, stateType);
      Value first = slice(b, loc, given, {d, 0, 0}, {1, batch, hidden}, 1);
      return linalg::CopyOp::create(b, loc, first,
                                    emptyTensor(b, loc, stateType))
          .getResult(0);
    };
    SmallVector<Value> carried = {initialState(layer.initialH)};
    if (layer.isLstm())
      carried.push_back(initialState(layer.initialC));
    carried.push_back(y);

    auto loop = scf::ForOp::create(
        b, loc, arith::ConstantIndexOp::create(b, loc, 0),
        arith::ConstantIndexOp::create(b, loc, seq),
        arith::ConstantIndexOp::create(b, loc, 1), carried,
        [&](OpBuilder &nb, Location l, Value i, ValueRange state) {
          Value t = i;
          if (reverse)
            t = arith::SubIOp::create(
                nb, l, arith::ConstantIndexOp::create(nb, l, seq - 1), i);
          Value xt =
              sliceAt(nb, l, in.xw, {t, nb.getIndexAttr(0), nb.getIndexAttr(0)},
                      {1, batch, width}, 1);
          SmallVector<Value> next =
              layer.isLstm()
                  ? lstmStep(nb, l, in, xt, state[0], state[1], hidden)
                  : SmallVector<Value>{gruStep(nb, l, in, xt, state[0], hidden,
                                               layer.linearBeforeReset)};
          // y[t, d] = h_t.
          SmallVector<OpFoldResult> at = {
              t, nb.getIndexAttr(d), nb.getIndexAttr(0), nb.getIndexAttr(0)};
          next.push_back(tensor::InsertSliceOp::create(
              nb, l, next[0], state.back(), at,
              getAsIndexOpFoldResult(nb.getContext(), {1, 1, batch, hidden}),
              getAsIndexOpFoldResult(nb.getContext(), {1, 1, 1, 1})));
          scf::YieldOp::create(nb, l, next);
        });

    y = loop.getResults().back();
    auto insertState = [&](Value last, Value into) {
      return tensor::InsertSliceOp::create(
          b, loc, last, into, getAsIndexOpFoldResult(b.getContext(), {d, 0, 0}),
          getAsIndexOpFoldResult(b.getContext(), {1, batch, hidden}),
          getAsIndexOpFoldResult(b.getContext(), {1, 1, 1}));
    };
    yH = insertState(loop.getResult(0), yH);
    if (layer.isLstm())
      yC = insertState(loop.getResult(1), yC);
  }
  SmallVector<Value> results = {y, yH};
  if (layer.isLstm())
    results.push_back(yC);
  return results;
}

/// Replaces quantized weights of `layer` by their storage and scales.
void setWeights(OpBuilder &b, Location loc, RnnLayer &layer) {
  std::tie(layer.w, layer.wScales) = rnnWeight(b, loc, layer.w);
  std::tie(layer.r, layer.rScales) = rnnWeight(b, loc, layer.r);
}

struct GruLowering : OpRewritePattern<GruOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(GruOp op,
                                PatternRewriter &rewriter) const override {
    RnnLayer layer{op.getX(),
                   op.getW(),
                   op.getR(),
                   op.getBias(),
                   op.getInitialH(),
                   Value(),
                   Value(),
                   static_cast<int64_t>(op.getHiddenSize()),
                   /*gates=*/3,
                   op.getDirection(),
                   op.getLinearBeforeReset()};
    setWeights(rewriter, op.getLoc(), layer);
    rewriter.replaceOp(
        op, lowerRnn(rewriter, op.getLoc(), layer, op->getResultTypes()));
    return success();
  }
};

struct LstmLowering : OpRewritePattern<LstmOp> {
  using OpRewritePattern::OpRewritePattern;
  LogicalResult matchAndRewrite(LstmOp op,
                                PatternRewriter &rewriter) const override {
    RnnLayer layer{op.getX(),         op.getW(),
                   op.getR(),         op.getBias(),
                   op.getInitialH(),  op.getInitialC(),
                   op.getPeepholes(), static_cast<int64_t>(op.getHiddenSize()),
                   /*gates=*/4,       op.getDirection()};
    setWeights(rewriter, op.getLoc(), layer);
    rewriter.replaceOp(
        op, lowerRnn(rewriter, op.getLoc(), layer, op->getResultTypes()));
    return success();
  }
};
} // namespace

void mlir::octet::populateLowerRnnPatterns(RewritePatternSet &patterns) {
  patterns.add<GruLowering, LstmLowering>(patterns.getContext());
}
