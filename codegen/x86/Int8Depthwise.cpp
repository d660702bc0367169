//===- Int8Depthwise.cpp - x86 int8 depthwise convolutions ----------------===//
//
// A depthwise conv2d_integer (one input channel per group; any kernel,
// stride, dilation and depth multiplier) by constant int8 weights. Each
// channel is packed into its stride-phase planes (Int8ConvPlanes.h), so a
// tap is a contiguous run of pixels at a constant offset, and every output
// plane is computed "wide" in tiles of 32 pixels: the taps go in pairs
// (a, b), unrolled at compile time; the two runs of 16 pixels are
// interleaved byte by byte, widened to 16 bits and multiplied by the
// broadcast weight pair with vpmaddwd, which adds x_a·w_a + x_b·w_b exactly
// into one int32 lane per pixel. Accumulators start from the bias; a
// matched requantization is applied in registers (Int8Requantize.cpp).
//
//===----------------------------------------------------------------------===//

#include "Int8ConvPlanes.h"
#include "Int8Kernels.h"
#include "octet/Codegen/Passes.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::x86::planes;
using mlir::octet::x86::index;

namespace {
constexpr int64_t kHalves = 2; // 16-pixel runs per tile
constexpr int64_t kHalfPixels = 2 * kLanes;

struct KernelOperands {
  Geometry geo;
  Value planes;  // [N·C·phases, slots] i8
  Value weights; // [F, pairs] i32: (w_a, w_b) as 16-bit halves
  Value start;   // [F] i32
  const x86::Requantization *requantization;
  Value multipliers; // [F] f32 when requantizing
};

/// The tap pairs' (offset, phase) within a plane: compile-time constants.
struct Tap {
  int64_t offset, phase;
};

Tap tapOf(const Geometry &geo, int64_t tap) {
  int64_t dh = tap / geo.kernelW * geo.dilationH;
  int64_t dw = tap % geo.kernelW * geo.dilationW;
  return {dh / geo.strideH * geo.phaseW + dw / geo.strideW,
          dh % geo.strideH * geo.strideW + dw % geo.strideW};
}

/// 16 pixels of tap `t` from `pixel`, as bytes.
Value readRun(OpBuilder &b, Location loc, const KernelOperands &in,
              Value planeBase, const Tap &t, Value pixel) {
  Type i8 = b.getI8Type();
  return vector::TransferReadOp::create(
      b, loc, VectorType::get({kHalfPixels}, i8), in.planes,
      ValueRange{add(b, loc, planeBase, index(b, loc, t.phase)),
                 add(b, loc, pixel, index(b, loc, t.offset))},
      arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, 0)),
      ArrayRef<bool>{true});
}

/// One tile of filter `f` (plane rows from `planeBase`), pixels q0 ..
/// q0 + 32 of image n: returns `out` with it written.
Value emitTile(OpBuilder &b, Location loc, const KernelOperands &in,
               Value out, Value n, Value f, Value planeBase, Value q0) {
  const Geometry &geo = in.geo;
  Type i16 = b.getI16Type(), i32 = b.getI32Type();
  auto accType = VectorType::get({kLanes}, i32);
  auto pairType = VectorType::get({kHalfPixels}, i16);
  Value start = vector::BroadcastOp::create(
      b, loc, accType, tensor::ExtractOp::create(b, loc, in.start, f));
  SmallVector<Value> accs(kHalves * 2, start);
  SmallVector<int64_t> low, high;
  for (int64_t i = 0; i < kLanes; ++i) {
    low.append({i, kHalfPixels + i});
    high.append({kLanes + i, kHalfPixels + kLanes + i});
  }
  int64_t taps = geo.taps();
  for (int64_t pair = 0; pair < (int64_t)llvm::divideCeil(taps, 2); ++pair) {
    Value word = tensor::ExtractOp::create(
        b, loc, in.weights, ValueRange{f, index(b, loc, pair)});
    Value weights = vector::BitCastOp::create(
        b, loc, pairType, vector::BroadcastOp::create(b, loc, accType, word));
    Tap first = tapOf(geo, 2 * pair);
    // An odd last tap pairs with itself under a zero weight.
    Tap second = 2 * pair + 1 < taps ? tapOf(geo, 2 * pair + 1) : first;
    for (int64_t h = 0; h < kHalves; ++h) {
      Value pixel = add(b, loc, q0, index(b, loc, h * kHalfPixels));
      Value a = readRun(b, loc, in, planeBase, first, pixel);
      Value c = readRun(b, loc, in, planeBase, second, pixel);
      for (int64_t part = 0; part < 2; ++part) {
        Value bytes = vector::ShuffleOp::create(b, loc, a, c,
                                                part ? high : low);
        Value wide =
            geo.isUnsigned
                ? arith::ExtUIOp::create(b, loc, pairType, bytes).getResult()
                : arith::ExtSIOp::create(b, loc, pairType, bytes).getResult();
        Value operands[2] = {wide, weights};
        Value products =
            LLVM::CallIntrinsicOp::create(
                b, loc, accType, b.getStringAttr("llvm.x86.avx2.pmadd.wd"),
                operands)
                .getResult(0);
        Value &acc = accs[2 * h + part];
        acc = arith::AddIOp::create(b, loc, acc, products);
      }
    }
  }
  Value multiplier;
  if (in.requantization)
    multiplier = vector::BroadcastOp::create(
        b, loc, VectorType::get({kLanes}, b.getF32Type()),
        tensor::ExtractOp::create(b, loc, in.multipliers, f));
  for (auto [v, acc] : llvm::enumerate(accs)) {
    Value pixel = add(b, loc, q0, index(b, loc, v * kLanes));
    out = x86::writeTile(b, loc, in.requantization, acc, multiplier, out,
                         {n, f, pixel});
  }
  return out;
}
} // namespace

LogicalResult mlir::octet::x86::rewriteDepthwise(Conv2DIntegerOp op) {
  auto wType = op.getWeight().getType();
  DenseElementsAttr weights = constantOf(op.getWeight()), bias;
  if (op.getBias() && !(bias = constantOf(op.getBias())))
    return failure();
  Geometry geo = Geometry::of(op);
  if (!weights || geo.groupChannels != 1 || geo.groups == 1 ||
      op.getInputZeroPoint() || op.getWeightZeroPoint() ||
      llvm::any_of(op.getPads(), [](int64_t p) { return p != 0; }) ||
      !wType.getElementType().isSignlessInteger(8))
    return failure();
  OpBuilder b(op);
  Location loc = op.getLoc();
  geo.tile(kHalves * kHalfPixels);
  int64_t filters = wType.getDimSize(0), taps = geo.taps();
  int64_t pairs = llvm::divideCeil(taps, 2);

  KernelOperands in;
  in.geo = geo;
  // The planes: each channel's phases, as they are (the sign is the
  // widening's business).
  // A constant spatial padding before it is written by the packing.
  Value input = geo.foldPadding(op);
  auto dataType = cast<RankedTensorType>(input.getType());
  if (geo.isUnsigned)
    input = CastOp::create(b, loc, dataType.clone(b.getIntegerType(8)), input);
  Value planes = tensor::EmptyOp::create(
      b, loc,
      ArrayRef<int64_t>{geo.batch * geo.groups * geo.phases(), geo.slots},
      b.getI8Type());
  in.planes = forEachBlock(
      b, loc, geo, input, planes, /*units=*/1, /*unitChannels=*/1,
      [&](OpBuilder &b, Location loc, Value planeRow, Value pixel, Value c,
          ReadChannel read, Value planes) -> Value {
        return vector::TransferWriteOp::create(b, loc, read(c), planes,
                                               ValueRange{planeRow, pixel},
                                               ArrayRef<bool>{true})
            .getResult();
      });

  auto values = llvm::to_vector(weights.getValues<APInt>());
  SmallVector<APInt> packed;
  for (int64_t f = 0; f < filters; ++f)
    for (int64_t pair = 0; pair < pairs; ++pair) {
      auto at = [&](int64_t tap) -> uint32_t {
        return tap < taps ? (uint16_t)values[f * taps + tap].getSExtValue()
                          : 0;
      };
      packed.push_back(APInt(32, at(2 * pair) | at(2 * pair + 1) << 16));
    }
  in.weights = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(
          RankedTensorType::get({filters, pairs}, b.getI32Type()), packed));
  SmallVector<APInt> start(filters, APInt(32, 0));
  if (bias)
    start = llvm::to_vector(bias.getValues<APInt>());
  in.start = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get({filters}, b.getI32Type()),
                             start));
  FailureOr<Requantization> requantization =
      matchRequantization(op.getResult(), /*channelDim=*/1);
  in.requantization = succeeded(requantization) ? &*requantization : nullptr;
  if (in.requantization) {
    SmallVector<float> multipliers;
    for (int64_t f = 0; f < filters; ++f)
      multipliers.push_back(requantization->multiplierOf(f));
    in.multipliers = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(
            RankedTensorType::get({filters}, b.getF32Type()),
            ArrayRef<float>(multipliers)));
  }

  Type element = in.requantization ? b.getI8Type() : b.getI32Type();
  Value out = tensor::EmptyOp::create(
      b, loc,
      ArrayRef<int64_t>{geo.batch, filters, geo.pixelTiles * geo.tilePixels},
      element);
  auto planesLoop = scf::ForOp::create(
      b, loc, index(b, loc, 0), index(b, loc, geo.batch * filters),
      index(b, loc, 1), ValueRange{out},
      [&](OpBuilder &b, Location loc, Value imageFilter, ValueRange carried) {
        Value n = arith::DivUIOp::create(b, loc, imageFilter,
                                         index(b, loc, filters));
        Value f = arith::RemUIOp::create(b, loc, imageFilter,
                                         index(b, loc, filters));
        // Filter f reads channel f / multiplier.
        Value c = arith::DivUIOp::create(b, loc, f,
                                         index(b, loc, geo.groupFilters));
        Value planeBase = mul(
            b, loc, add(b, loc, mul(b, loc, n, geo.groups), c), geo.phases());
        scf::YieldOp::create(
            b, loc,
            loop(b, loc, geo.pixelTiles, carried[0],
                 [&](OpBuilder &b, Location loc, Value t, Value out) {
                   return emitTile(b, loc, in, out, n, f, planeBase,
                                   mul(b, loc, t, geo.tilePixels));
                 }));
      });
  // Planes are independent: octet-parallelize may split them over threads.
  planesLoop->setAttr("octet.parallel",
                      b.getI64IntegerAttr(filters * geo.widePixels() * taps));
  Value result =
      unwiden(b, loc, geo, planesLoop.getResult(0), geo.groupFilters);
  replaceByKernel(op, in.requantization, result);
  return success();
}
