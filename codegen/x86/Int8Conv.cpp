//===- Int8Conv.cpp - AVX2 register-tiled int8 direct convolutions --------===//
//
// A conv2d_integer with stride 1, no dilation, no padding (octet-propagate-
// qdq makes it explicit), one group, no zero points and constant int8
// weights, computed directly in NCHW, without im2col. The tile runs along
// an output row, where pixels are contiguous: for every tap (kh, kw) and
// channel pair (c, c+1), the weight pair (w[f][c][kh][kw], w[f][c+1][kh][kw])
// is broadcast to all lanes, the input rows of channels c and c+1 at 16
// pixels (shifted by the tap) are widened to 16 bits and interleaved into
// pairs, and vpmaddwd adds both products into one int32 lane per pixel,
// exactly. A register tile is 4 filters × 16 pixels (8 accumulators)
// starting from the bias; results are the reference's bits (int32 wraps,
// so the order of the sums does not matter). A 1×1 convolution is one
// long row of H·W pixels.
//
//===----------------------------------------------------------------------===//

#include "Int8Kernels.h"
#include "octet/Codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

using namespace mlir;
using namespace mlir::octet;

namespace {
constexpr int64_t kTileFilters = 4;
constexpr int64_t kLanes = 8; // int32 per 256-bit register
constexpr int64_t kTilePixels = 2 * kLanes;

struct ConvOperands {
  Value input; // [N, C, H, W] i8 (the bits of u8 when `isUnsigned`)
  bool isUnsigned;
  Value weights; // [F, kH·kW, C] i8 constant
  Value bias;    // [F] i32, or null
  int64_t batch, channels, filters, kernelH, kernelW, outH, outW;
};

Value index(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// x[n][c][row][col0 .. col0 + 16] widened to i16 (0 past the row, unless
/// the block is `full`: then no masking is needed).
Value readChannel(OpBuilder &b, Location loc, const ConvOperands &in, Value n,
                  Value c, Value row, Value col0, bool full) {
  Type i8 = b.getI8Type();
  Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, 0));
  Value bytes = vector::TransferReadOp::create(
      b, loc, VectorType::get({kTilePixels}, i8), in.input,
      ValueRange{n, c, row, col0}, zero, ArrayRef<bool>{full});
  auto wide = VectorType::get({kTilePixels}, b.getI16Type());
  if (in.isUnsigned)
    return arith::ExtUIOp::create(b, loc, wide, bytes);
  return arith::ExtSIOp::create(b, loc, wide, bytes);
}

/// The pair (w[f][tap][c], w[f][tap][c + 1]) (w[f][tap][c], 0 when
/// `single`), sign-extended and broadcast as one 32-bit pattern to every
/// lane.
Value broadcastWeights(OpBuilder &b, Location loc, const ConvOperands &in,
                       Value f, Value tap, Value c, bool single) {
  return x86::broadcastPair(b, loc, in.weights, ValueRange{f, tap, c},
                            /*isUnsigned=*/false, /*inBounds=*/!single);
}

/// The pixel pairs (x[c][p], x[c+1][p]) of the low and high 8 pixels.
std::pair<Value, Value> interleave(OpBuilder &b, Location loc, Value first,
                                   Value second) {
  SmallVector<int64_t> lo, hi;
  for (int64_t i = 0; i < kLanes; ++i) {
    lo.append({i, kTilePixels + i});
    hi.append({kLanes + i, kTilePixels + kLanes + i});
  }
  return {vector::ShuffleOp::create(b, loc, first, second, lo),
          vector::ShuffleOp::create(b, loc, first, second, hi)};
}

/// Where a tile is: image `n`, filters from `f0`, output row `oh`, pixels
/// from `ow0` (all 16 inside the row when `full`).
struct TilePosition {
  Value n, f0, oh, ow0;
  int64_t rows;
  bool full;
};

/// Adds the products of channels c and c + 1 (or c alone) at tap `tap`
/// (input row `row`, first column `col0`) to `accs`.
SmallVector<Value> accumulate(OpBuilder &b, Location loc,
                              const ConvOperands &in, const TilePosition &at,
                              Value tap, Value row, Value col0, Value c,
                              bool single, ValueRange accs) {
  auto accType = VectorType::get({kLanes}, b.getI32Type());
  Value first = readChannel(b, loc, in, at.n, c, row, col0, at.full);
  Value second =
      single
          ? arith::ConstantOp::create(
                b, loc,
                DenseElementsAttr::get(cast<VectorType>(first.getType()),
                                       APInt(16, 0)))
                .getResult()
          : readChannel(b, loc, in, at.n,
                        arith::AddIOp::create(b, loc, c, index(b, loc, 1)),
                        row, col0, at.full);
  auto [lo, hi] = interleave(b, loc, first, second);
  Value halves[2] = {lo, hi};
  SmallVector<Value> next(accs);
  for (int64_t r = 0; r < at.rows; ++r) {
    Value f = arith::AddIOp::create(b, loc, at.f0, index(b, loc, r));
    Value w = broadcastWeights(b, loc, in, f, tap, c, single);
    for (int64_t v = 0; v < 2; ++v) {
      Value products =
          LLVM::CallIntrinsicOp::create(
              b, loc, accType, b.getStringAttr("llvm.x86.avx2.pmadd.wd"),
              ValueRange{w, halves[v]})
              .getResult(0);
      Value &acc = next[2 * r + v];
      acc = arith::AddIOp::create(b, loc, acc, products);
    }
  }
  return next;
}

/// One register tile: returns `result` with it written.
Value emitTile(OpBuilder &b, Location loc, const ConvOperands &in,
               Value result, const TilePosition &at) {
  auto accType = VectorType::get({kLanes}, b.getI32Type());
  SmallVector<Value> init;
  for (int64_t r = 0; r < at.rows; ++r) {
    Value start = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(accType, APInt(32, 0)));
    if (in.bias) {
      Value f = arith::AddIOp::create(b, loc, at.f0, index(b, loc, r));
      start = vector::BroadcastOp::create(
          b, loc, accType, tensor::ExtractOp::create(b, loc, in.bias, f));
    }
    init.append({start, start});
  }
  // Taps, then channel pairs and an odd last channel.
  auto taps = scf::ForOp::create(
      b, loc, index(b, loc, 0), index(b, loc, in.kernelH * in.kernelW),
      index(b, loc, 1), init,
      [&](OpBuilder &tb, Location tl, Value tap, ValueRange tapAccs) {
        Value kh = arith::DivUIOp::create(tb, tl, tap,
                                          index(tb, tl, in.kernelW));
        Value kw = arith::RemUIOp::create(tb, tl, tap,
                                          index(tb, tl, in.kernelW));
        Value row = arith::AddIOp::create(tb, tl, at.oh, kh);
        Value col0 = arith::AddIOp::create(tb, tl, at.ow0, kw);
        auto pairs = scf::ForOp::create(
            tb, tl, index(tb, tl, 0), index(tb, tl, in.channels / 2),
            index(tb, tl, 1), tapAccs,
            [&](OpBuilder &nb, Location l, Value pair, ValueRange accs) {
              Value c = arith::MulIOp::create(nb, l, pair, index(nb, l, 2));
              scf::YieldOp::create(nb, l,
                                   accumulate(nb, l, in, at, tap, row, col0,
                                              c, /*single=*/false, accs));
            });
        SmallVector<Value> accs(pairs.getResults());
        if (in.channels % 2)
          accs = accumulate(tb, tl, in, at, tap, row, col0,
                            index(tb, tl, in.channels - 1), /*single=*/true,
                            accs);
        scf::YieldOp::create(tb, tl, accs);
      });

  for (int64_t r = 0; r < at.rows; ++r) {
    Value f = arith::AddIOp::create(b, loc, at.f0, index(b, loc, r));
    for (int64_t v = 0; v < 2; ++v) {
      Value ow = arith::AddIOp::create(b, loc, at.ow0,
                                       index(b, loc, v * kLanes));
      // Pixels past the row are masked off.
      result = vector::TransferWriteOp::create(
                   b, loc, taps.getResult(2 * r + v), result,
                   ValueRange{at.n, f, at.oh, ow}, ArrayRef<bool>{at.full})
                   .getResult();
    }
  }
  return result;
}

/// The filter tiles of one block of 16 pixels.
Value emitBlock(OpBuilder &b, Location loc, const ConvOperands &in,
                Value result, TilePosition at) {
  int64_t fullFilters = in.filters / kTileFilters * kTileFilters;
  if (fullFilters > 0)
    result = scf::ForOp::create(
                 b, loc, index(b, loc, 0), index(b, loc, fullFilters),
                 index(b, loc, kTileFilters), ValueRange{result},
                 [&](OpBuilder &tb, Location tl, Value f0, ValueRange acc) {
                   TilePosition tile = at;
                   tile.f0 = f0;
                   tile.rows = kTileFilters;
                   scf::YieldOp::create(tb, tl,
                                        emitTile(tb, tl, in, acc[0], tile));
                 })
                 .getResult(0);
  if (in.filters > fullFilters) {
    at.f0 = index(b, loc, fullFilters);
    at.rows = in.filters - fullFilters;
    result = emitTile(b, loc, in, result, at);
  }
  return result;
}

/// Images, output rows, then blocks of 16 pixels (the last one masked when
/// the pixels do not fill it), then tiles of 4 filters and a last tile of
/// the rest.
Value emitKernel(OpBuilder &b, Location loc, const ConvOperands &in) {
  Type i32 = b.getI32Type();
  Value empty = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{in.batch, in.filters, in.outH, in.outW}, i32);
  int64_t fullPixels = in.outW / kTilePixels * kTilePixels;
  auto loopOver = [&](OpBuilder &lb, Location l, int64_t count, Value init,
                      function_ref<Value(OpBuilder &, Location, Value, Value)>
                          body) {
    return scf::ForOp::create(
               lb, l, index(lb, l, 0), index(lb, l, count), index(lb, l, 1),
               ValueRange{init},
               [&](OpBuilder &nb, Location nl, Value i, ValueRange carried) {
                 scf::YieldOp::create(nb, nl, body(nb, nl, i, carried[0]));
               })
        .getResult(0);
  };
  return loopOver(b, loc, in.batch, empty, [&](OpBuilder &ib, Location il,
                                               Value n, Value image) {
    return loopOver(ib, il, in.outH, image, [&](OpBuilder &rb, Location rl,
                                                Value oh, Value rowResult) {
      Value result = rowResult;
      if (fullPixels > 0)
        result = scf::ForOp::create(
                     rb, rl, index(rb, rl, 0), index(rb, rl, fullPixels),
                     index(rb, rl, kTilePixels), ValueRange{result},
                     [&](OpBuilder &nb, Location l, Value ow0,
                         ValueRange carried) {
                       scf::YieldOp::create(
                           nb, l,
                           emitBlock(nb, l, in, carried[0],
                                     {n, Value(), oh, ow0, 0, true}));
                     })
                     .getResult(0);
      if (in.outW > fullPixels)
        result = emitBlock(rb, rl, in, result,
                           {n, Value(), oh, index(rb, rl, fullPixels), 0,
                            false});
      return result;
    });
  });
}
} // namespace

LogicalResult mlir::octet::x86::rewriteConv(Conv2DIntegerOp op,
                                           bool kernelsBeyond1x1) {
  auto inType = op.getInput().getType(), wType = op.getWeight().getType();
  auto constant = op.getWeight().getDefiningOp<ConstantOp>();
  auto weights = constant ? dyn_cast<DenseElementsAttr>(constant.getValue())
                          : nullptr;
  auto ones = [](ArrayRef<int64_t> v) {
    return llvm::all_of(v, [](int64_t x) { return x == 1; });
  };
  if (!weights || op.getInputZeroPoint() || op.getWeightZeroPoint() ||
      op.getGroup() != 1 || !ones(op.getStrides()) ||
      !ones(op.getDilations()) ||
      llvm::any_of(op.getPads(), [](int64_t p) { return p != 0; }) ||
      !wType.getElementType().isSignlessInteger(8) ||
      (!kernelsBeyond1x1 &&
       (wType.getDimSize(2) != 1 || wType.getDimSize(3) != 1)))
    return failure();
  OpBuilder b(op);
  Location loc = op.getLoc();
  ConvOperands in;
  in.batch = inType.getDimSize(0);
  in.channels = inType.getDimSize(1);
  in.filters = wType.getDimSize(0);
  in.kernelH = wType.getDimSize(2);
  in.kernelW = wType.getDimSize(3);
  in.outH = op.getType().getDimSize(2);
  in.outW = op.getType().getDimSize(3);
  in.isUnsigned = inType.getElementType().isUnsignedInteger();
  // The activations' bits as i8; a 1x1 convolution as one row of H·W.
  Value input = op.getInput();
  if (in.isUnsigned)
    input = CastOp::create(b, loc, inType.clone(b.getIntegerType(8)), input);
  bool pointwise = in.kernelH == 1 && in.kernelW == 1;
  SmallVector<ReassociationIndices> flatten = {{0}, {1}, {2, 3}};
  if (pointwise) {
    in.outW *= in.outH;
    in.outH = 1;
    Value flat = tensor::CollapseShapeOp::create(b, loc, input, flatten);
    input = tensor::ExpandShapeOp::create(
        b, loc,
        RankedTensorType::get({in.batch, in.channels, 1, in.outW},
                              b.getIntegerType(8)),
        flat, flatten);
  }
  in.input = input;
  // Weights [F, C, kH, kW] as [F, kH·kW, C]: channel pairs next to each
  // other for every tap.
  auto values = llvm::to_vector(weights.getValues<APInt>());
  int64_t taps = in.kernelH * in.kernelW;
  SmallVector<APInt> packed;
  packed.reserve(values.size());
  for (int64_t f = 0; f < in.filters; ++f)
    for (int64_t t = 0; t < taps; ++t)
      for (int64_t c = 0; c < in.channels; ++c)
        packed.push_back(values[(f * in.channels + c) * taps + t]);
  in.weights = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({in.filters, taps, in.channels},
                                wType.getElementType()),
          packed));
  in.bias = op.getBias();
  Value result = emitKernel(b, loc, in);
  if (pointwise)
    result = tensor::ExpandShapeOp::create(
        b, loc, op.getType(),
        tensor::CollapseShapeOp::create(b, loc, result, flatten), flatten);
  op.getResult().replaceAllUsesWith(result);
  op.erase();
  return success();
}
