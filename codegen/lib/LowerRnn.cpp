//===- LowerRnn.cpp - GRU and LSTM octet ops to an scf.for of linalg ------===//
//
// ONNX GRU and LSTM (layout 0, default activations). Each direction is one
// `scf.for` over the sequence carrying the hidden (and cell) state and the
// result `y`. The input projection x·Wᵀ + Wb (+ Rb where it is linear) of
// every time step is one matmul hoisted before the loop; the loop body
// multiplies the state by Rᵀ, computes the gates in a `linalg.generic` and
// inserts the new state into `y`. A reverse direction walks t = seq-1 .. 0
// and writes each state at its own time step, as ONNX specifies.
//
//===----------------------------------------------------------------------===//

#include "LoweringUtils.h"
#include "octet/Codegen/Passes.h"
#include "octet/IR/OctetOps.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Math/IR/Math.h"
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
  bool isLstm() const { return gates == 4; }
};

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

/// Lowers both directions of `layer`; returns {y, y_h[, y_c]}.
SmallVector<Value> lowerRnn(OpBuilder &b, Location loc, const RnnLayer &layer,
                            TypeRange resultTypes) {
  auto xType = cast<RankedTensorType>(layer.x.getType());
  Type elementType = xType.getElementType();
  int64_t seq = xType.getDimSize(0), batch = xType.getDimSize(1),
          input = xType.getDimSize(2);
  int64_t hidden = layer.hidden, gates = layer.gates;
  int64_t width = gates * hidden;
  int64_t dirs = layer.direction == RnnDirection::bidirectional ? 2 : 1;
  auto stateType = RankedTensorType::get({batch, hidden}, elementType);

  Value y = emptyTensor(b, loc, cast<RankedTensorType>(resultTypes[0]));
  Value yH = emptyTensor(b, loc, cast<RankedTensorType>(resultTypes[1]));
  Value yC = layer.isLstm()
                 ? emptyTensor(b, loc, cast<RankedTensorType>(resultTypes[2]))
                 : Value();
  Value xFlat = reshapeStaticTensor(
      b, loc, layer.x,
      RankedTensorType::get({seq * batch, input}, elementType));

  for (int64_t d = 0; d < dirs; ++d) {
    bool reverse = layer.direction == RnnDirection::reverse || d == 1;
    Value wT = transpose2D(
        b, loc, slice(b, loc, layer.w, {d, 0, 0}, {1, width, input}, 1));
    Value rT = transpose2D(
        b, loc, slice(b, loc, layer.r, {d, 0, 0}, {1, width, hidden}, 1));

    // x·Wᵀ for all time steps at once, plus the biases that enter linearly:
    // Wb always, Rb except GRU's h gate under linear_before_reset, where
    // it is multiplied by the reset gate inside the loop.
    Value xw = buildMatmul(b, loc, xFlat, wT);
    Value resetBias;
    if (layer.bias) {
      Value wb = slice(b, loc, layer.bias, {d, 0}, {1, width}, 1);
      Value rb = slice(b, loc, layer.bias, {d, width}, {1, width}, 1);
      if (layer.linearBeforeReset) {
        resetBias = slice(b, loc, rb, {2 * hidden}, {hidden}, 0);
        // Rb with its h block zeroed: a fresh tensor, never written into
        // the caller's bias.
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
    xw = reshapeStaticTensor(
        b, loc, xw, RankedTensorType::get({seq, batch, width}, elementType));

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
    // Peepholes i, o, f as [hidden] vectors.
    SmallVector<Value> peepGates;
    if (layer.peepholes)
      peepGates = splitGates(
          b, loc, slice(b, loc, layer.peepholes, {d, 0}, {1, 3 * hidden}, 1), 3,
          hidden);
    bool peep = layer.peepholes != nullptr;
    // GRU without linear_before_reset needs (r ⊙ h)·Rhᵀ: R's z and r
    // columns and its h columns are used apart.
    Value rTzr, rTh;
    if (!layer.isLstm() && !layer.linearBeforeReset) {
      rTzr = slice(b, loc, rT, {0, 0}, {hidden, 2 * hidden}, 0);
      rTh = slice(b, loc, rT, {0, 2 * hidden}, {hidden, hidden}, 0);
    }

    Value lb = arith::ConstantIndexOp::create(b, loc, 0);
    Value ub = arith::ConstantIndexOp::create(b, loc, seq);
    Value one = arith::ConstantIndexOp::create(b, loc, 1);
    auto loop = scf::ForOp::create(
        b, loc, lb, ub, one, carried,
        [&](OpBuilder &nb, Location l, Value i, ValueRange state) {
          Value t = i;
          if (reverse)
            t = arith::SubIOp::create(
                nb, l, arith::ConstantIndexOp::create(nb, l, seq - 1), i);
          Value h = state[0];
          Value xt =
              sliceAt(nb, l, xw, {t, nb.getIndexAttr(0), nb.getIndexAttr(0)},
                      {1, batch, width}, 1);
          SmallVector<Value> next;
          if (layer.isLstm()) {
            // Gates i, o, f, c; peepholes i, o, f.
            Value c = state[1];
            SmallVector<Value> ins = splitGates(nb, l, xt, 4, hidden);
            ins.append(splitGates(nb, l, buildMatmul(nb, l, h, rT), 4, hidden));
            ins.push_back(c);
            ins.append(peepGates);
            next = gateGeneric(
                nb, l, ins, {h, c},
                [&](OpBuilder &bb, Location ll, ValueRange a) {
                  Value cPrev = a[8];
                  Value pi = add(bb, ll, a[0], a[4]);
                  Value po = add(bb, ll, a[1], a[5]);
                  Value pf = add(bb, ll, a[2], a[6]);
                  Value pc = add(bb, ll, a[3], a[7]);
                  if (peep) {
                    pi = add(bb, ll, pi, mul(bb, ll, a[9], cPrev));
                    pf = add(bb, ll, pf, mul(bb, ll, a[11], cPrev));
                  }
                  Value it = sigmoid(bb, ll, pi), ft = sigmoid(bb, ll, pf);
                  Value ct = math::TanhOp::create(bb, ll, pc);
                  Value cNew =
                      add(bb, ll, mul(bb, ll, ft, cPrev), mul(bb, ll, it, ct));
                  // The output gate peeks at the new cell state.
                  if (peep)
                    po = add(bb, ll, po, mul(bb, ll, a[10], cNew));
                  Value ot = sigmoid(bb, ll, po);
                  Value hNew =
                      mul(bb, ll, ot, math::TanhOp::create(bb, ll, cNew));
                  return SmallVector<Value>{hNew, cNew};
                });
          } else {
            // Gates z, r, h; h_t = (1 - z) ⊙ ĥ + z ⊙ h.
            auto blend = [](OpBuilder &bb, Location ll, Value z, Value hh,
                            Value hPrev) {
              Value oneF = floatConstant(bb, ll, z.getType(), 1.0);
              Value keep = arith::SubFOp::create(bb, ll, oneF, z);
              return add(bb, ll, mul(bb, ll, keep, hh), mul(bb, ll, z, hPrev));
            };
            SmallVector<Value> xg = splitGates(nb, l, xt, 3, hidden);
            if (layer.linearBeforeReset) {
              // ĥ = tanh(x·Whᵀ + Wbh + r ⊙ (h·Rhᵀ + Rbh)).
              SmallVector<Value> ins = xg;
              ins.append(
                  splitGates(nb, l, buildMatmul(nb, l, h, rT), 3, hidden));
              ins.push_back(h);
              if (resetBias)
                ins.push_back(resetBias);
              next = gateGeneric(
                  nb, l, ins, h, [&](OpBuilder &bb, Location ll, ValueRange a) {
                    Value z = sigmoid(bb, ll, add(bb, ll, a[0], a[3]));
                    Value r = sigmoid(bb, ll, add(bb, ll, a[1], a[4]));
                    Value hRec = resetBias ? add(bb, ll, a[5], a[7]) : a[5];
                    Value hh = math::TanhOp::create(
                        bb, ll, add(bb, ll, a[2], mul(bb, ll, r, hRec)));
                    return SmallVector<Value>{blend(bb, ll, z, hh, a[6])};
                  });
            } else {
              // ĥ = tanh(x·Whᵀ + (r ⊙ h)·Rhᵀ + Rbh + Wbh): two matmuls.
              SmallVector<Value> hg =
                  splitGates(nb, l, buildMatmul(nb, l, h, rTzr), 2, hidden);
              SmallVector<Value> zr = gateGeneric(
                  nb, l, {xg[0], xg[1], hg[0], hg[1], h},
                  {emptyTensor(nb, l, stateType),
                   emptyTensor(nb, l, stateType)},
                  [&](OpBuilder &bb, Location ll, ValueRange a) {
                    Value z = sigmoid(bb, ll, add(bb, ll, a[0], a[2]));
                    Value r = sigmoid(bb, ll, add(bb, ll, a[1], a[3]));
                    return SmallVector<Value>{z, mul(bb, ll, r, a[4])};
                  });
              Value rh = buildMatmul(nb, l, zr[1], rTh);
              next = gateGeneric(
                  nb, l, {xg[2], rh, zr[0], h}, h,
                  [&](OpBuilder &bb, Location ll, ValueRange a) {
                    Value hh =
                        math::TanhOp::create(bb, ll, add(bb, ll, a[0], a[1]));
                    return SmallVector<Value>{blend(bb, ll, a[2], hh, a[3])};
                  });
            }
          }
          // y[t, d] = h_t.
          SmallVector<OpFoldResult> at = {
              t, nb.getIndexAttr(d), nb.getIndexAttr(0), nb.getIndexAttr(0)};
          Value yNext = tensor::InsertSliceOp::create(
              nb, l, next[0], state.back(), at,
              getAsIndexOpFoldResult(nb.getContext(), {1, 1, batch, hidden}),
              getAsIndexOpFoldResult(nb.getContext(), {1, 1, 1, 1}));
          next.push_back(yNext);
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
    rewriter.replaceOp(
        op, lowerRnn(rewriter, op.getLoc(), layer, op->getResultTypes()));
    return success();
  }
};
} // namespace

void mlir::octet::populateLowerRnnPatterns(RewritePatternSet &patterns) {
  patterns.add<GruLowering, LstmLowering>(patterns.getContext());
}
