//===- Int8Conv.cpp - x86 int8 convolutions on packed channel quads -------===//
//
// A conv2d_integer by constant int8 weights (any kernel size, stride and
// dilation; groups whose channels come in quads, or one group), as an
// implicit GEMM without im2col:
//
// - Packing. Each image's activations are copied once into channel quads,
//   [group][quad][phase][pixel][4] bytes: the stride's phases (input rows
//   ph, ph + sH, ..., columns pw, pw + sW, ...) each become a stride-1
//   plane, so that every tap of every stride reads a contiguous run of
//   pixels. Signed activations are offset by 128 into u8 (the bias
//   subtracts 128·Σw at compile time), so both instruction sets see u8.
// - The output is computed "wide": pixel q = oh·phaseW + ow for all
//   ow < phaseW, so that tap (kh, kw) reads the plane at q plus one
//   constant offset; the columns past outW are garbage and sliced off.
//   Valid outputs only read valid input; reads past the plane land in the
//   packed buffer's slack.
// - Register tile: 4 filters × 8·V pixels, accumulators starting from the
//   bias. For every tap and channel quad, each filter's 4 weights are one
//   broadcast 32-bit word and each 8 pixels one 32-byte load; VNNI's
//   vpdpbusd adds the four u8×s8 products per lane exactly; AVX2 splits
//   the quads into even and odd bytes (16-bit lanes) and adds them with
//   two exact vpmaddwd. int32 wraps, so the result is the reference's.
// - An optional fused requantization (Int8Kernels.h) turns the tile into
//   8-bit outputs before it leaves the registers.
//
//===----------------------------------------------------------------------===//

#include "Int8ConvPlanes.h"
#include "Int8Kernels.h"
#include "octet/Codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

using namespace mlir;
using namespace mlir::octet;

using namespace mlir::octet::x86::planes;
using mlir::octet::x86::Dot;
using mlir::octet::x86::index;
using mlir::octet::x86::interleaveQuads;
using mlir::octet::x86::pairIsExact;

namespace {

/// The activations [N, C, H, W] (i8 bits) as packed quads
/// [N·G·quads·phases, slots·4]; unsigned values as they are, signed ones
/// offset by 128.
Value packActivations(OpBuilder &b, Location loc, const Geometry &geo,
                      Value input) {
  Type i8 = b.getI8Type();
  int64_t rows = geo.batch * geo.groups * geo.quads * geo.phases();
  Value packed = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{rows, geo.slots * 4}, i8);
  auto quadType = VectorType::get({4 * kLanes}, i8);
  Value signBit = arith::ConstantOp::create(
      b, loc, DenseElementsAttr::get(quadType, APInt(8, 0x80)));
  return forEachBlock(
      b, loc, geo, input, packed, geo.quads, /*unitChannels=*/4,
      [&](OpBuilder &b, Location loc, Value planeRow, Value pixel, Value c0,
          ReadChannel read, Value packed) -> Value {
        SmallVector<Value> channels;
        for (int64_t j = 0; j < 4; ++j)
          channels.push_back(read(add(b, loc, c0, index(b, loc, j))));
        Value quadsOf8 = interleaveQuads(b, loc, channels);
        if (!geo.isUnsigned)
          quadsOf8 = arith::XOrIOp::create(b, loc, quadsOf8, signBit);
        return vector::TransferWriteOp::create(
                   b, loc, quadsOf8, packed,
                   ValueRange{planeRow, mul(b, loc, pixel, 4)},
                   ArrayRef<bool>{true})
            .getResult();
      });
}

/// The weights as the kernels read them. Rows ((g·filterTiles + t)·taps +
/// tap)·quads + quad hold the tile filters' quads, 4 bytes each (one
/// broadcast word). For AVX2's vpmaddubsw, a pair that could saturate is
/// split into w = a + b with a = clamp(w, -64, 64) in `main` and b in a
/// correction, both exact (|a|, |b| <= 64); the corrections of a filter
/// tile are a list of (plane row, pixel offset, 4 quads) that a second
/// loop adds. int32 sums wrap, so a + b adds up to w exactly.
struct PackedWeights {
  DenseElementsAttr main;         // [rows, tileFilters·4] i8
  DenseElementsAttr corrections;  // [E, tileFilters·4] i8, or null
  DenseElementsAttr where;        // [E, 2] i32: quad·phases + phase, offset
  DenseElementsAttr starts;       // [G·filterTiles + 1] i32
};

PackedWeights packWeights(MLIRContext *context, const Geometry &geo,
                          ArrayRef<APInt> w, Dot dot) {
  int64_t rows = geo.groups * geo.filterTiles * geo.taps() * geo.quads;
  auto weight = [&](int64_t g, int64_t f, int64_t c, int64_t tap) -> int64_t {
    if (f >= geo.groupFilters || c >= geo.groupChannels)
      return 0;
    int64_t filter = g * geo.groupFilters + f;
    return w[(filter * geo.groupChannels + c) * geo.taps() + tap]
        .getSExtValue();
  };
  bool split = dot == Dot::MaddUbsw;
  bool words = dot == Dot::MaddWd;
  int64_t columns = geo.tileFilters * 4;
  SmallVector<APInt> main, corrections, where, starts;
  for (int64_t g = 0; g < geo.groups; ++g)
    for (int64_t t = 0; t < geo.filterTiles; ++t) {
      starts.push_back(APInt(32, where.size() / 2));
      for (int64_t tap = 0; tap < geo.taps(); ++tap)
        for (int64_t q = 0; q < geo.quads; ++q) {
          SmallVector<int64_t> rest;
          bool needed = false;
          for (int64_t r = 0; r < geo.tileFilters; ++r) {
            int64_t f = t * geo.tileFilters + r;
            int64_t v[4];
            for (int64_t j = 0; j < 4; ++j)
              v[j] = weight(g, f, 4 * q + j, tap);
            if (words) {
              // (w0, w2) and (w1, w3) as 16-bit pairs, little-endian.
              for (int64_t j : {0, 2, 1, 3})
                for (int64_t byte = 0; byte < 2; ++byte)
                  main.push_back(APInt(
                      8, (uint8_t)((uint16_t)(int16_t)v[j] >> (8 * byte))));
              continue;
            }
            for (int64_t j = 0; j < 4; j += 2) {
              bool exact = !split || pairIsExact(v[j], v[j + 1]);
              for (int64_t i = j; i < j + 2; ++i) {
                int64_t a = exact ? v[i] : std::clamp<int64_t>(v[i], -64, 64);
                main.push_back(APInt(8, a, /*isSigned=*/true));
                rest.push_back(v[i] - a);
                needed |= v[i] != a;
              }
            }
          }
          if (!needed)
            continue;
          for (int64_t b : rest)
            corrections.push_back(APInt(8, b, /*isSigned=*/true));
          int64_t dh = tap / geo.kernelW * geo.dilationH;
          int64_t dw = tap % geo.kernelW * geo.dilationW;
          int64_t phase = dh % geo.strideH * geo.strideW + dw % geo.strideW;
          int64_t offset = dh / geo.strideH * geo.phaseW + dw / geo.strideW;
          where.push_back(APInt(32, q * geo.phases() + phase));
          where.push_back(APInt(32, offset));
        }
    }
  starts.push_back(APInt(32, where.size() / 2));
  auto i8 = IntegerType::get(context, 8), i32 = IntegerType::get(context, 32);
  PackedWeights packed;
  packed.main = DenseElementsAttr::get(
      RankedTensorType::get({rows, columns * (words ? 2 : 1)}, i8), main);
  int64_t entries = where.size() / 2;
  if (entries == 0)
    return packed;
  packed.corrections = DenseElementsAttr::get(
      RankedTensorType::get({entries, columns}, i8), corrections);
  packed.where =
      DenseElementsAttr::get(RankedTensorType::get({entries, 2}, i32), where);
  packed.starts = DenseElementsAttr::get(
      RankedTensorType::get({(int64_t)starts.size()}, i32), starts);
  return packed;
}

int64_t paddedFilters(const Geometry &geo) {
  return geo.filterTiles * geo.tileFilters;
}

struct KernelOperands {
  Geometry geo;
  Dot dot;
  Value packed;  // packActivations
  Value weights; // PackedWeights::main
  Value corrections, where, starts; // PackedWeights' corrections, or null
  Value start;   // [G·paddedFilters] i32: bias − 128·Σw for signed input
  const x86::Requantization *requantization; // or null: int32 outputs
  Value multipliers; // [G·paddedFilters] f32 when requantizing
};

/// Tile filter `r`'s weights in row `row` of `weights`: `words` 32-bit
/// words, each broadcast to every lane.
SmallVector<Value> broadcastWeight(OpBuilder &b, Location loc, Value weights,
                                   Value row, int64_t r, int64_t words) {
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  SmallVector<Value> result;
  for (int64_t i = 0; i < words; ++i) {
    Value bytes = vector::TransferReadOp::create(
        b, loc, VectorType::get({4}, i8), weights,
        ValueRange{row, index(b, loc, 4 * (words * r + i))},
        arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, 0)),
        ArrayRef<bool>{true});
    Value word = vector::ExtractOp::create(
        b, loc,
        vector::BitCastOp::create(b, loc, VectorType::get({1}, i32), bytes),
        ArrayRef<int64_t>{0});
    Value lanes = vector::BroadcastOp::create(
        b, loc, VectorType::get({kLanes}, i32), word);
    result.push_back(vector::BitCastOp::create(
        b, loc,
        words == 1 ? VectorType::get({4 * kLanes}, i8)
                   : VectorType::get({2 * kLanes}, b.getI16Type()),
        lanes));
  }
  return result;
}

/// Adds the products of the activations at plane row `packedRow`, pixel
/// column `column` (bytes) and the tile's weights in row `row` of
/// `weights` to `accs`.
SmallVector<Value> accumulate(OpBuilder &b, Location loc,
                              const KernelOperands &in, Value packedRow,
                              Value column, Value weights, Value row,
                              ValueRange accs, int64_t vectors) {
  Value zero =
      arith::ConstantOp::create(b, loc, b.getIntegerAttr(b.getI8Type(), 0));
  SmallVector<Value> acts;
  for (int64_t v = 0; v < vectors; ++v)
    acts.push_back(vector::TransferReadOp::create(
        b, loc, VectorType::get({4 * kLanes}, b.getI8Type()), in.packed,
        ValueRange{packedRow, add(b, loc, column, index(b, loc, 4 * kLanes * v))},
        zero, ArrayRef<bool>{true}));
  SmallVector<Value> next(accs);
  for (int64_t r = 0; r < in.geo.tileFilters; ++r) {
    SmallVector<Value> w = broadcastWeight(b, loc, weights, row, r,
                                           in.dot == Dot::MaddWd ? 2 : 1);
    for (int64_t v = 0; v < vectors; ++v) {
      Value &acc = next[r * vectors + v];
      acc = x86::dot(b, loc, in.dot, acc, acts[v], w);
    }
  }
  return next;
}

/// One register tile: filters t·4 .. t·4+3 of group g, pixels q0 ..
/// q0 + 8V of image n; returns `out` with it written.
Value emitTile(OpBuilder &b, Location loc, const KernelOperands &in,
               Value out, Value n, Value g, Value t, Value q0, int64_t vectors) {
  const Geometry &geo = in.geo;
  auto accType = VectorType::get({kLanes}, b.getI32Type());
  Value filter0 = add(b, loc, mul(b, loc, g, paddedFilters(geo)),
                      mul(b, loc, t, geo.tileFilters));
  SmallVector<Value> init;
  for (int64_t r = 0; r < geo.tileFilters; ++r) {
    Value start = tensor::ExtractOp::create(
        b, loc, in.start, ValueRange{add(b, loc, filter0, index(b, loc, r))});
    Value lanes = vector::BroadcastOp::create(b, loc, accType, start);
    init.append(vectors, lanes);
  }
  Value imageGroup = add(b, loc, mul(b, loc, n, geo.groups), g);
  auto taps = scf::ForOp::create(
      b, loc, index(b, loc, 0), index(b, loc, geo.taps()), index(b, loc, 1),
      init, [&](OpBuilder &b, Location loc, Value tap, ValueRange tapAccs) {
        auto [offset, phase] = tapOffsetAndPhase(b, loc, geo, tap);
        Value column = mul(b, loc, add(b, loc, q0, offset), 4);
        Value packedRow0 = add(
            b, loc, mul(b, loc, imageGroup, geo.quads * geo.phases()), phase);
        Value weightRow0 = mul(
            b, loc,
            add(b, loc, mul(b, loc, add(b, loc, mul(b, loc, g, geo.filterTiles), t),
                            geo.taps()),
                tap),
            geo.quads);
        auto quads = scf::ForOp::create(
            b, loc, index(b, loc, 0), index(b, loc, geo.quads),
            index(b, loc, 1), tapAccs,
            [&](OpBuilder &b, Location loc, Value q, ValueRange accs) {
              Value packedRow =
                  add(b, loc, packedRow0, mul(b, loc, q, geo.phases()));
              Value weightRow = add(b, loc, weightRow0, q);
              SmallVector<Value> next =
                  accumulate(b, loc, in, packedRow, column, in.weights,
                             weightRow, accs, vectors);
              scf::YieldOp::create(b, loc, next);
            });
        scf::YieldOp::create(b, loc, quads.getResults());
      });

  SmallVector<Value> sums(taps.getResults());
  if (in.corrections) {
    // The second halves of split weights: this tile's list of taps and
    // quads.
    auto at = [&](Value tensor, ValueRange indices) -> Value {
      return arith::IndexCastOp::create(
          b, loc, b.getIndexType(),
          tensor::ExtractOp::create(b, loc, tensor, indices));
    };
    Value tile = add(b, loc, mul(b, loc, g, geo.filterTiles), t);
    Value first = at(in.starts, {tile});
    Value last = at(in.starts, {add(b, loc, tile, index(b, loc, 1))});
    Value planes = mul(b, loc, imageGroup, geo.quads * geo.phases());
    auto corrections = scf::ForOp::create(
        b, loc, first, last, index(b, loc, 1), sums,
        [&](OpBuilder &b, Location loc, Value e, ValueRange accs) {
          Value packedRow =
              add(b, loc, planes, at(in.where, {e, index(b, loc, 0)}));
          Value column = mul(
              b, loc, add(b, loc, q0, at(in.where, {e, index(b, loc, 1)})), 4);
          scf::YieldOp::create(b, loc,
                               accumulate(b, loc, in, packedRow, column,
                                          in.corrections, e, accs, vectors));
        });
    sums.assign(corrections.getResults().begin(),
                corrections.getResults().end());
  }

  for (int64_t r = 0; r < geo.tileFilters; ++r) {
    Value filter = add(b, loc, filter0, index(b, loc, r));
    Value multiplier;
    if (in.requantization)
      multiplier = vector::BroadcastOp::create(
          b, loc, VectorType::get({kLanes}, b.getF32Type()),
          tensor::ExtractOp::create(b, loc, in.multipliers,
                                    ValueRange{filter}));
    for (int64_t v = 0; v < vectors; ++v) {
      Value pixel = add(b, loc, q0, index(b, loc, kLanes * v));
      out = x86::writeTile(b, loc, in.requantization, sums[r * vectors + v],
                           multiplier, out, {n, filter, pixel});
    }
  }
  return out;
}
} // namespace

LogicalResult mlir::octet::x86::rewriteConv(Conv2DIntegerOp op, Int8Isa isa) {
  auto wType = op.getWeight().getType();
  DenseElementsAttr weights = constantOf(op.getWeight()), bias;
  if (op.getBias() && !(bias = constantOf(op.getBias())))
    return failure();
  Geometry geo = Geometry::of(op);
  // Channels come in quads; only one group may pad its last quad (with
  // zeros), others would need their channels moved.
  if (!weights || op.getInputZeroPoint() || op.getWeightZeroPoint() ||
      llvm::any_of(op.getPads(), [](int64_t p) { return p != 0; }) ||
      !wType.getElementType().isSignlessInteger(8) ||
      (geo.groups > 1 && geo.groupChannels % 4 != 0))
    return failure();
  OpBuilder b(op);
  Location loc = op.getLoc();
  MLIRContext *context = b.getContext();
  // 32 registers (AVX-512) hold an 8 x 24 tile: 24 accumulators, 3
  // activation vectors and a broadcast; 16 hold 4 x 24 or 4 x 16.
  geo.tileFilters = isa == Int8Isa::Vnni512 ? 8 : 4;
  geo.filterTiles = llvm::divideCeil(geo.groupFilters, geo.tileFilters);
  int64_t vectors = isa == Int8Isa::Avx2 ? 2 : 3;
  geo.tile(kLanes * vectors);

  FailureOr<Requantization> requantization =
      matchRequantization(op.getResult(), /*channelDim=*/1);

  // The activations' bits as i8, one group's channels padded to quads.
  // A constant spatial padding before the convolution is written by the
  // packing instead of copied.
  Value input = geo.foldPadding(op);
  auto dataType = cast<RankedTensorType>(input.getType());
  if (geo.isUnsigned)
    input = CastOp::create(b, loc, dataType.clone(b.getIntegerType(8)), input);
  if (geo.groupChannels % 4 != 0) {
    SmallVector<int64_t> shape(dataType.getShape());
    shape[1] = geo.quads * 4;
    Value zero =
        arith::ConstantOp::create(b, loc, b.getIntegerAttr(b.getI8Type(), 0));
    SmallVector<OpFoldResult> low(4, b.getIndexAttr(0)),
        high(4, b.getIndexAttr(0));
    high[1] = b.getIndexAttr(shape[1] - dataType.getDimSize(1));
    input = tensor::PadOp::create(
        b, loc, RankedTensorType::get(shape, b.getI8Type()), input, low, high,
        zero);
  }

  auto values = llvm::to_vector(weights.getValues<APInt>());
  KernelOperands in;
  in.geo = geo;
  in.packed = packActivations(b, loc, geo, input);
  // AVX2: vpmaddubsw where few weight pairs need splitting, else the exact
  // vpmaddwd path (kMaxSplitFraction).
  Dot dot = isa == Int8Isa::Avx2 ? Dot::MaddUbsw : Dot::Vnni;
  PackedWeights packedWeights = packWeights(context, geo, values, dot);
  if (packedWeights.corrections) {
    int64_t steps = geo.groups * geo.filterTiles * geo.taps() * geo.quads;
    double split =
        (double)packedWeights.corrections.getType().getDimSize(0) / steps;
    if (split > x86::kMaxSplitFraction) {
      dot = Dot::MaddWd;
      packedWeights = packWeights(context, geo, values, dot);
    }
  }
  in.dot = dot;
  in.weights = arith::ConstantOp::create(b, loc, packedWeights.main);
  if (packedWeights.corrections) {
    in.corrections =
        arith::ConstantOp::create(b, loc, packedWeights.corrections);
    in.where = arith::ConstantOp::create(b, loc, packedWeights.where);
    in.starts = arith::ConstantOp::create(b, loc, packedWeights.starts);
  }
  // Accumulators start from the bias, less 128·Σw for offset signed input.
  int64_t paddedTotal = geo.groups * paddedFilters(geo);
  SmallVector<APInt> start(paddedTotal, APInt(32, 0));
  SmallVector<float> multipliers(paddedTotal, 0.0f);
  int64_t perFilter = geo.groupChannels * geo.taps();
  for (int64_t g = 0; g < geo.groups; ++g)
    for (int64_t f = 0; f < geo.groupFilters; ++f) {
      int64_t filter = g * geo.groupFilters + f;
      int64_t slot = g * paddedFilters(geo) + f;
      uint32_t sum = bias ? (uint32_t)bias.getValues<APInt>()[filter]
                                .getSExtValue()
                          : 0;
      if (!geo.isUnsigned) {
        int64_t weightSum = 0;
        for (int64_t i = 0; i < perFilter; ++i)
          weightSum += values[filter * perFilter + i].getSExtValue();
        sum -= (uint32_t)(128 * weightSum);
      }
      start[slot] = APInt(32, sum);
      if (succeeded(requantization))
        multipliers[slot] = requantization->multiplierOf(filter);
    }
  in.start = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({paddedTotal}, b.getI32Type()), start));
  in.requantization = succeeded(requantization) ? &*requantization : nullptr;
  if (in.requantization)
    in.multipliers = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({paddedTotal}, b.getF32Type()),
            ArrayRef<float>(multipliers)));

  // The wide output: [N, G·paddedFilters, pixelTiles·tilePixels].
  Type outElement = in.requantization ? b.getI8Type() : b.getI32Type();
  Value out = tensor::EmptyOp::create(
      b, loc,
      ArrayRef<int64_t>{geo.batch, paddedTotal,
                        geo.pixelTiles * geo.tilePixels},
      outElement);
  out = loop(b, loc, geo.batch * geo.groups, out,
             [&](OpBuilder &b, Location loc, Value imageGroup, Value out) {
    Value n = arith::DivUIOp::create(b, loc, imageGroup,
                                     index(b, loc, geo.groups));
    Value g = arith::RemUIOp::create(b, loc, imageGroup,
                                     index(b, loc, geo.groups));
    // Full pixel tiles, then the last pixels with only the vectors they
    // need (a 14x14 map computes 224 wide pixels: 9 tiles of 24 and one
    // vector of 8, not a tenth full tile).
    int64_t fullTiles = geo.widePixels() / geo.tilePixels;
    int64_t restVectors =
        llvm::divideCeil(geo.widePixels() % geo.tilePixels, kLanes);
    auto pixels = scf::ForOp::create(
        b, loc, index(b, loc, 0), index(b, loc, fullTiles),
        index(b, loc, 1), ValueRange{out},
        [&](OpBuilder &b, Location loc, Value tile, ValueRange carried) {
          Value q0 = mul(b, loc, tile, geo.tilePixels);
          scf::YieldOp::create(
              b, loc,
              loop(b, loc, geo.filterTiles, carried[0],
                   [&](OpBuilder &b, Location loc, Value t, Value out) {
                     return emitTile(b, loc, in, out, n, g, t, q0, vectors);
                   }));
        });
    // Pixel tiles are independent: octet-parallelize may split them over
    // threads. The attribute carries the layer's multiply-adds.
    pixels->setAttr("octet.parallel",
                    b.getI64IntegerAttr(geo.groups * geo.groupFilters *
                                        geo.widePixels() * perFilter));
    if (restVectors == 0)
      return pixels.getResult(0);
    Value q0 = index(b, loc, fullTiles * geo.tilePixels);
    return loop(b, loc, geo.filterTiles, pixels.getResult(0),
                [&](OpBuilder &b, Location loc, Value t, Value out) {
                  return emitTile(b, loc, in, out, n, g, t, q0, restVectors);
                });
  });

  Value result = unwiden(b, loc, geo, out, paddedFilters(geo));
  replaceByKernel(op, in.requantization, result);
  return success();
}
