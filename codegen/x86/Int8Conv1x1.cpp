//===- Int8Conv1x1.cpp - AVX2 register-tiled int8 1x1 convolutions --------===//
//
// A 1×1 conv2d_integer (stride 1, no padding, one group, no zero points,
// constant int8 weights) is, per image, the product W[F, C] · X[C, H·W]. In
// NCHW the pixels are contiguous, so the tile runs along them: a weight
// pair (w[f][c], w[f][c+1]) is broadcast to all lanes, the activations of
// channels c and c+1 at 16 pixels are widened to 16 bits and interleaved
// into pairs, and vpmaddwd adds w[f][c]·x[c][p] + w[f][c+1]·x[c+1][p] into
// one int32 lane per pixel, exactly. A register tile is 4 filters × 16
// pixels (8 accumulators) starting from the bias; results are the
// reference's bits (int32 wraps, so the order of the sums does not
// matter).
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
  Value input;   // [N, C, P] i8 (the bits of u8 when `isUnsigned`)
  bool isUnsigned;
  Value weights; // [F, C] i8 constant
  Value bias;    // [F] i32, or null
  int64_t batch, channels, filters, pixels;
};

/// x[n][c][p0 .. p0 + 16] widened to i16 (0 past the pixels, unless the
/// block is `full`: then no masking is needed).
Value readChannel(OpBuilder &b, Location loc, const ConvOperands &in, Value n,
                  Value c, Value p0, bool full) {
  Type i8 = b.getI8Type();
  Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, 0));
  Value bytes = vector::TransferReadOp::create(
      b, loc, VectorType::get({kTilePixels}, i8), in.input,
      ValueRange{n, c, p0}, zero, ArrayRef<bool>{full});
  auto wide = VectorType::get({kTilePixels}, b.getI16Type());
  if (in.isUnsigned)
    return arith::ExtUIOp::create(b, loc, wide, bytes);
  return arith::ExtSIOp::create(b, loc, wide, bytes);
}

/// The pair (w[f][c], w[f][c + 1]) (w[f][c], 0 when `single`), sign-extended
/// and broadcast as one 32-bit pattern to every lane.
Value broadcastWeights(OpBuilder &b, Location loc, const ConvOperands &in,
                       Value f, Value c, bool single) {
  Type i8 = b.getI8Type(), i16 = b.getI16Type(), i32 = b.getI32Type();
  Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, 0));
  Value pair = vector::TransferReadOp::create(
      b, loc, VectorType::get({2}, i8), in.weights, ValueRange{f, c}, zero,
      ArrayRef<bool>{!single});
  Value wide = arith::ExtSIOp::create(b, loc, VectorType::get({2}, i16), pair);
  Value word = vector::ExtractOp::create(
      b, loc, vector::BitCastOp::create(b, loc, VectorType::get({1}, i32), wide),
      ArrayRef<int64_t>{0});
  return vector::BitCastOp::create(
      b, loc, VectorType::get({2 * kLanes}, i16),
      vector::BroadcastOp::create(b, loc, VectorType::get({kLanes}, i32),
                                  word));
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

/// One tile of `rows` filters from `f0` at pixels `p0` (all 16 inside the
/// image when `full`): returns `result` with it written.
Value emitTile(OpBuilder &b, Location loc, const ConvOperands &in,
               Value result, Value n, Value f0, int64_t rows, Value p0,
               bool full) {
  Type i32 = b.getI32Type();
  auto accType = VectorType::get({kLanes}, i32);
  auto index = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  SmallVector<Value> init;
  for (int64_t r = 0; r < rows; ++r) {
    Value start = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(accType, APInt(32, 0)));
    if (in.bias) {
      Value f = arith::AddIOp::create(b, loc, f0, index(r));
      Value biasValue = tensor::ExtractOp::create(b, loc, in.bias, f);
      start = vector::BroadcastOp::create(b, loc, accType, biasValue);
    }
    init.append({start, start});
  }
  // One step of the reduction: channels c and c + 1 (or c alone).
  auto step = [&](OpBuilder &nb, Location l, Value c, bool single,
                  ValueRange accs) {
    Value first = readChannel(nb, l, in, n, c, p0, full);
    Value second =
        single ? arith::ConstantOp::create(
                     nb, l,
                     DenseElementsAttr::get(cast<VectorType>(first.getType()),
                                            APInt(16, 0)))
                     .getResult()
               : readChannel(nb, l, in, n,
                             arith::AddIOp::create(nb, l, c, index(1)), p0,
                             full);
    auto [lo, hi] = interleave(nb, l, first, second);
    SmallVector<Value> next(accs);
    for (int64_t r = 0; r < rows; ++r) {
      Value f = arith::AddIOp::create(nb, l, f0, index(r));
      Value w = broadcastWeights(nb, l, in, f, c, single);
      Value halves[2] = {lo, hi};
      for (int64_t v = 0; v < 2; ++v) {
        Value products =
            LLVM::CallIntrinsicOp::create(
                nb, l, accType, nb.getStringAttr("llvm.x86.avx2.pmadd.wd"),
                ValueRange{w, halves[v]})
                .getResult(0);
        Value &acc = next[2 * r + v];
        acc = arith::AddIOp::create(nb, l, acc, products);
      }
    }
    return next;
  };
  int64_t pairs = in.channels / 2;
  auto loop = scf::ForOp::create(
      b, loc, index(0), index(pairs), index(1), init,
      [&](OpBuilder &nb, Location l, Value pair, ValueRange accs) {
        Value c = arith::MulIOp::create(nb, l, pair, index(2));
        scf::YieldOp::create(nb, l, step(nb, l, c, /*single=*/false, accs));
      });
  SmallVector<Value> accs(loop.getResults());
  // An odd channel count leaves the last channel alone.
  if (in.channels % 2)
    accs = step(b, loc, index(in.channels - 1), /*single=*/true, accs);

  for (int64_t r = 0; r < rows; ++r) {
    Value f = arith::AddIOp::create(b, loc, f0, index(r));
    for (int64_t v = 0; v < 2; ++v) {
      Value p = arith::AddIOp::create(b, loc, p0, index(v * kLanes));
      // Pixels past the image are masked off.
      result = vector::TransferWriteOp::create(b, loc, accs[2 * r + v], result,
                                               ValueRange{n, f, p},
                                               ArrayRef<bool>{full})
                   .getResult();
    }
  }
  return result;
}

/// The filter tiles of one block of 16 pixels at `p0`.
Value emitBlock(OpBuilder &b, Location loc, const ConvOperands &in,
                Value result, Value n, Value p0, bool full) {
  auto index = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  int64_t fullFilters = in.filters / kTileFilters * kTileFilters;
  if (fullFilters > 0)
    result = scf::ForOp::create(
                 b, loc, index(0), index(fullFilters), index(kTileFilters),
                 ValueRange{result},
                 [&](OpBuilder &tb, Location tl, Value f0, ValueRange acc) {
                   scf::YieldOp::create(tb, tl,
                                        emitTile(tb, tl, in, acc[0], n, f0,
                                                 kTileFilters, p0, full));
                 })
                 .getResult(0);
  if (in.filters > fullFilters)
    result = emitTile(b, loc, in, result, n, index(fullFilters),
                      in.filters - fullFilters, p0, full);
  return result;
}

/// Images, then blocks of 16 pixels (the last one masked when the pixels
/// do not fill it), then tiles of 4 filters and a last tile of the rest.
Value emitKernel(OpBuilder &b, Location loc, const ConvOperands &in) {
  Type i32 = b.getI32Type();
  auto index = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  Value empty = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{in.batch, in.filters, in.pixels}, i32);
  int64_t fullPixels = in.pixels / kTilePixels * kTilePixels;
  auto images = scf::ForOp::create(
      b, loc, index(0), index(in.batch), index(1), ValueRange{empty},
      [&](OpBuilder &ib, Location il, Value n, ValueRange image) {
        Value result = image[0];
        if (fullPixels > 0)
          result = scf::ForOp::create(
                       ib, il, index(0), index(fullPixels),
                       index(kTilePixels), ValueRange{result},
                       [&](OpBuilder &nb, Location l, Value p0,
                           ValueRange carried) {
                         scf::YieldOp::create(
                             nb, l,
                             emitBlock(nb, l, in, carried[0], n, p0,
                                       /*full=*/true));
                       })
                       .getResult(0);
        if (in.pixels > fullPixels)
          result = emitBlock(ib, il, in, result, n, index(fullPixels),
                             /*full=*/false);
        scf::YieldOp::create(ib, il, result);
      });
  return images.getResult(0);
}
} // namespace

LogicalResult mlir::octet::x86::rewriteConv1x1(Conv2DIntegerOp op) {
  auto inType = op.getInput().getType(), wType = op.getWeight().getType();
  auto constant = op.getWeight().getDefiningOp<ConstantOp>();
  auto weights = constant ? dyn_cast<DenseElementsAttr>(constant.getValue())
                          : nullptr;
  auto ones = [](ArrayRef<int64_t> v) {
    return llvm::all_of(v, [](int64_t x) { return x == 1; });
  };
  if (!weights || op.getInputZeroPoint() || op.getWeightZeroPoint() ||
      op.getGroup() != 1 || wType.getDimSize(2) != 1 ||
      wType.getDimSize(3) != 1 || !ones(op.getStrides()) ||
      !ones(op.getDilations()) ||
      llvm::any_of(op.getPads(), [](int64_t p) { return p != 0; }) ||
      !wType.getElementType().isSignlessInteger(8))
    return failure();
  OpBuilder b(op);
  Location loc = op.getLoc();
  ConvOperands in;
  in.batch = inType.getDimSize(0);
  in.channels = inType.getDimSize(1);
  in.filters = wType.getDimSize(0);
  in.pixels = inType.getDimSize(2) * inType.getDimSize(3);
  in.isUnsigned = inType.getElementType().isUnsignedInteger();
  // The activations' bits as i8, [N, C, H·W]; the weights as [F, C].
  Value input = op.getInput();
  if (in.isUnsigned)
    input = CastOp::create(b, loc, inType.clone(b.getIntegerType(8)), input);
  SmallVector<ReassociationIndices> collapse = {{0}, {1}, {2, 3}};
  in.input = tensor::CollapseShapeOp::create(b, loc, input, collapse);
  in.weights = arith::ConstantOp::create(
      b, loc,
      weights.reshape(RankedTensorType::get({in.filters, in.channels},
                                            wType.getElementType())));
  in.bias = op.getBias();
  Value result = emitKernel(b, loc, in);
  op.getResult().replaceAllUsesWith(tensor::ExpandShapeOp::create(
      b, loc, op.getType(), result, collapse));
  op.erase();
  return success();
}
