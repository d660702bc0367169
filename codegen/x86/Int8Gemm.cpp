//===- Int8Gemm.cpp - x86 register-tiled int8 matmul_integer --------------===//
//
// A 2-D matmul_integer of 8-bit activations by constant int8 weights, with
// an optional constant int32 bias and no zero points (octet-propagate-qdq
// folds the input's into the bias). It computes exactly the reference's
// result: the products are exact, and int32 additions wrap like the
// reference's, so the order of the sums does not matter.
//
// The weights are packed at compile time into panels of columns (two
// 8-lane vectors for AVX2, three for VNNI), each as K/step rows holding,
// for every column, the weights of `step` consecutive k next to each
// other. A register tile is 4 rows × one panel: accumulators that start
// from the bias and stay in registers for the whole reduction.
// - AVX2 (step 2): an activation pair (x[m][k], x[m][k+1]) is widened to
//   16 bits and broadcast; vpmaddwd adds both products into every column.
// - VNNI (step 4): an activation quad is broadcast as one 32-bit word;
//   vpdpbusd adds the four u8×s8 products. Signed activations are offset
//   by 128 (xor) and the bias less 128·Σw per column.
// Where the result is only requantized, the tile does that in registers
// and writes 8 bits (Int8Requantize.cpp).
//
//===----------------------------------------------------------------------===//

#include "Int8Kernels.h"
#include "octet/Codegen/Passes.h"
#include "octet/IR/OctetOps.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

using namespace mlir;
using namespace mlir::octet;

namespace {
constexpr int64_t kTileRows = 4;
constexpr int64_t kLanes = 8; // int32 per 256-bit register

struct Layout {
  int64_t vectors; // per panel
  int64_t step;    // k per packed row
  int64_t columns() const { return vectors * kLanes; }
};

Layout layoutFor(x86::Int8Isa isa) {
  return isa == x86::Int8Isa::Avx2 ? Layout{2, 2} : Layout{3, 4};
}

/// The constant int8 weights [K, N] packed as [panels][ceil(K/step)]
/// [columns·step] (padded with zeros): for panel p and row j, the weights
/// w[step·j + h][columns·p + c] at c·step + h.
DenseElementsAttr packWeights(DenseElementsAttr weights, Layout layout) {
  auto type = cast<RankedTensorType>(weights.getType());
  int64_t k = type.getDimSize(0), n = type.getDimSize(1);
  int64_t rows = llvm::divideCeil(k, layout.step);
  int64_t panels = llvm::divideCeil(n, layout.columns());
  auto values = llvm::to_vector(weights.getValues<APInt>());
  SmallVector<APInt> packed;
  packed.reserve(panels * rows * layout.columns() * layout.step);
  for (int64_t p = 0; p < panels; ++p)
    for (int64_t j = 0; j < rows; ++j)
      for (int64_t c = 0; c < layout.columns(); ++c)
        for (int64_t h = 0; h < layout.step; ++h) {
          int64_t row = layout.step * j + h, col = p * layout.columns() + c;
          packed.push_back(row < k && col < n ? values[row * n + col]
                                              : APInt(8, 0));
        }
  return DenseElementsAttr::get(
      RankedTensorType::get({panels, rows, layout.columns() * layout.step},
                            type.getElementType()),
      packed);
}

struct KernelOperands {
  x86::Int8Isa isa;
  Layout layout;
  Value activations; // [M, K] i8 (the bits of u8 when `isUnsigned`)
  bool isUnsigned;
  Value packedWeights; // packWeights' layout
  Value start;         // [panels·columns] i32: where the sums start
  const x86::Requantization *requantization; // or null: int32 outputs
  Value multipliers; // [panels·columns] f32 when requantizing
  int64_t m, k, n;
};

Value index(OpBuilder &b, Location loc, int64_t v) {
  return arith::ConstantIndexOp::create(b, loc, v);
}

/// The panel's weights at packed row `j`, one operand per vector.
SmallVector<Value> loadWeights(OpBuilder &b, Location loc,
                               const KernelOperands &in, Value panel,
                               Value j) {
  Type i8 = b.getI8Type();
  Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, 0));
  int64_t bytes = kLanes * in.layout.step;
  SmallVector<Value> weights;
  for (int64_t v = 0; v < in.layout.vectors; ++v) {
    Value w = vector::TransferReadOp::create(
        b, loc, VectorType::get({bytes}, i8), in.packedWeights,
        ValueRange{panel, j, index(b, loc, v * bytes)}, zero,
        ArrayRef<bool>{true});
    if (in.isa == x86::Int8Isa::Avx2)
      w = arith::ExtSIOp::create(
          b, loc, VectorType::get({bytes}, b.getI16Type()), w);
    weights.push_back(w);
  }
  return weights;
}

/// x[row][k0 .. k0 + 4] as u8 bytes broadcast to every lane (0 past K
/// unless `inBounds`; signed values offset by 128).
Value broadcastQuad(OpBuilder &b, Location loc, const KernelOperands &in,
                    Value row, Value k0, bool inBounds) {
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, 0));
  Value quad = vector::TransferReadOp::create(
      b, loc, VectorType::get({4}, i8), in.activations, ValueRange{row, k0},
      zero, ArrayRef<bool>{inBounds});
  Value word = vector::ExtractOp::create(
      b, loc, vector::BitCastOp::create(b, loc, VectorType::get({1}, i32), quad),
      ArrayRef<int64_t>{0});
  // Signed values offset by 128 (past K too: the weights there are 0).
  if (!in.isUnsigned)
    word = arith::XOrIOp::create(
        b, loc, word,
        arith::ConstantOp::create(b, loc,
                                  b.getIntegerAttr(i32, (int32_t)0x80808080u)));
  return vector::BitCastOp::create(
      b, loc, VectorType::get({4 * kLanes}, i8),
      vector::BroadcastOp::create(b, loc, VectorType::get({kLanes}, i32),
                                  word));
}

/// Adds the products of packed row `j` (k = step·j ..) to the tile's
/// accumulators (`rows` × vectors).
SmallVector<Value> accumulate(OpBuilder &b, Location loc,
                              const KernelOperands &in, Value row0,
                              int64_t rows, Value panel, Value j,
                              bool inBounds, ValueRange accs) {
  auto accType = VectorType::get({kLanes}, b.getI32Type());
  SmallVector<Value> weights = loadWeights(b, loc, in, panel, j);
  Value k0 = arith::MulIOp::create(b, loc, j, index(b, loc, in.layout.step));
  SmallVector<Value> next(accs);
  for (int64_t r = 0; r < rows; ++r) {
    Value row = arith::AddIOp::create(b, loc, row0, index(b, loc, r));
    bool avx2 = in.isa == x86::Int8Isa::Avx2;
    Value broadcast =
        avx2 ? x86::broadcastPair(b, loc, in.activations, ValueRange{row, k0},
                                  in.isUnsigned, inBounds)
             : broadcastQuad(b, loc, in, row, k0, inBounds);
    for (int64_t v = 0; v < in.layout.vectors; ++v) {
      Value &acc = next[r * in.layout.vectors + v];
      if (avx2) {
        Value operands[2] = {broadcast, weights[v]};
        Value products = LLVM::CallIntrinsicOp::create(
                             b, loc, accType,
                             b.getStringAttr("llvm.x86.avx2.pmadd.wd"),
                             operands)
                             .getResult(0);
        acc = arith::AddIOp::create(b, loc, acc, products);
      } else {
        Value operands[3] = {acc, broadcast, weights[v]};
        acc = LLVM::CallIntrinsicOp::create(
                  b, loc, accType,
                  b.getStringAttr("llvm.x86.avx512.vpdpbusd.256"), operands)
                  .getResult(0);
      }
    }
  }
  return next;
}

/// One register tile of `rows` rows from `row0`, panel `panel`: returns
/// `result` with it written.
Value emitTile(OpBuilder &b, Location loc, const KernelOperands &in,
               Value result, Value row0, int64_t rows, Value panel,
               Value column0) {
  Type i32 = b.getI32Type(), f32 = b.getF32Type();
  auto accType = VectorType::get({kLanes}, i32);
  SmallVector<Value> starts, multipliers;
  for (int64_t v = 0; v < in.layout.vectors; ++v) {
    Value column = arith::AddIOp::create(b, loc, column0,
                                         index(b, loc, v * kLanes));
    starts.push_back(vector::TransferReadOp::create(
        b, loc, accType, in.start, ValueRange{column},
        arith::ConstantOp::create(b, loc, b.getIntegerAttr(i32, 0)),
        ArrayRef<bool>{true}));
    if (in.requantization)
      multipliers.push_back(vector::TransferReadOp::create(
          b, loc, VectorType::get({kLanes}, f32), in.multipliers,
          ValueRange{column},
          arith::ConstantOp::create(b, loc, b.getFloatAttr(f32, 0)),
          ArrayRef<bool>{true}));
  }
  SmallVector<Value> init;
  for (int64_t r = 0; r < rows; ++r)
    llvm::append_range(init, starts);

  int64_t fullRows = in.k / in.layout.step;
  auto loop = scf::ForOp::create(
      b, loc, index(b, loc, 0), index(b, loc, fullRows), index(b, loc, 1),
      init, [&](OpBuilder &nb, Location l, Value j, ValueRange accs) {
        scf::YieldOp::create(nb, l,
                             accumulate(nb, l, in, row0, rows, panel, j,
                                        /*inBounds=*/true, accs));
      });
  SmallVector<Value> accs(loop.getResults());
  if (in.k % in.layout.step)
    accs = accumulate(b, loc, in, row0, rows, panel,
                      index(b, loc, fullRows), /*inBounds=*/false, accs);

  for (int64_t r = 0; r < rows; ++r) {
    Value row = arith::AddIOp::create(b, loc, row0, index(b, loc, r));
    for (int64_t v = 0; v < in.layout.vectors; ++v) {
      Value column = arith::AddIOp::create(b, loc, column0,
                                           index(b, loc, v * kLanes));
      Value tile = accs[r * in.layout.vectors + v];
      if (in.requantization)
        tile = x86::requantize(b, loc, *in.requantization, tile,
                               multipliers[v]);
      result = vector::TransferWriteOp::create(b, loc, tile, result,
                                               ValueRange{row, column},
                                               ArrayRef<bool>{true})
                   .getResult();
    }
  }
  return result;
}

/// The whole product into [M, panels·columns]: panels, each over tiles of
/// 4 rows and a last tile of the remaining rows.
Value emitKernel(OpBuilder &b, Location loc, const KernelOperands &in) {
  int64_t panels = llvm::divideCeil(in.n, in.layout.columns());
  Type element = in.requantization ? b.getI8Type() : b.getI32Type();
  Value empty = tensor::EmptyOp::create(
      b, loc, ArrayRef<int64_t>{in.m, panels * in.layout.columns()}, element);
  int64_t fullRows = in.m / kTileRows * kTileRows;
  auto loop = scf::ForOp::create(
      b, loc, index(b, loc, 0), index(b, loc, panels), index(b, loc, 1),
      ValueRange{empty},
      [&](OpBuilder &nb, Location l, Value panel, ValueRange carried) {
        Value column0 = arith::MulIOp::create(
            nb, l, panel, index(nb, l, in.layout.columns()));
        Value result = carried[0];
        if (fullRows > 0)
          result = scf::ForOp::create(
                       nb, l, index(nb, l, 0), index(nb, l, fullRows),
                       index(nb, l, kTileRows), ValueRange{result},
                       [&](OpBuilder &tb, Location tl, Value row0,
                           ValueRange acc) {
                         scf::YieldOp::create(
                             tb, tl,
                             emitTile(tb, tl, in, acc[0], row0, kTileRows,
                                      panel, column0));
                       })
                       .getResult(0);
        if (in.m > fullRows)
          result = emitTile(nb, l, in, result, index(nb, l, fullRows),
                            in.m - fullRows, panel, column0);
        scf::YieldOp::create(nb, l, result);
      });
  // Panels are independent: octet-parallelize may split them over threads.
  loop->setAttr("octet.parallel", b.getI64IntegerAttr(in.m * in.n * in.k));
  return loop.getResult(0);
}

} // namespace

LogicalResult mlir::octet::x86::rewriteMatMul(MatMulIntegerOp op,
                                             Int8Isa isa) {
  auto lhsType = op.getLhs().getType(), rhsType = op.getRhs().getType();
  auto constant = op.getRhs().getDefiningOp<ConstantOp>();
  auto weights = constant ? dyn_cast<DenseElementsAttr>(constant.getValue())
                          : nullptr;
  DenseElementsAttr bias;
  if (Value biasValue = op.getBias()) {
    auto biasConstant = biasValue.getDefiningOp<ConstantOp>();
    bias = biasConstant ? dyn_cast<DenseElementsAttr>(biasConstant.getValue())
                        : nullptr;
    if (!bias || bias.getType().getRank() != 1)
      return failure();
  }
  if (lhsType.getRank() != 2 || rhsType.getRank() != 2 ||
      op.getLhsZeroPoint() || op.getRhsZeroPoint() || !weights ||
      !rhsType.getElementType().isSignlessInteger(8))
    return failure();
  OpBuilder b(op);
  Location loc = op.getLoc();
  KernelOperands in;
  in.isa = isa;
  in.layout = layoutFor(isa);
  in.m = lhsType.getDimSize(0);
  in.k = lhsType.getDimSize(1);
  in.n = rhsType.getDimSize(1);
  in.isUnsigned = lhsType.getElementType().isUnsignedInteger();
  in.activations = op.getLhs();
  // The kernel reads the activations' bits as i8.
  if (in.isUnsigned)
    in.activations = CastOp::create(
        b, loc, lhsType.clone(b.getIntegerType(8)), op.getLhs());
  in.packedWeights =
      arith::ConstantOp::create(b, loc, packWeights(weights, in.layout));

  FailureOr<Requantization> requantization =
      matchRequantization(op.getResult(), /*channelDim=*/1);
  in.requantization = succeeded(requantization) ? &*requantization : nullptr;
  // Sums start from the bias (less 128·Σw where VNNI offsets signed input).
  int64_t padded =
      llvm::divideCeil(in.n, in.layout.columns()) * in.layout.columns();
  auto values = llvm::to_vector(weights.getValues<APInt>());
  SmallVector<APInt> start(padded, APInt(32, 0));
  SmallVector<float> multipliers(padded, 0.0f);
  for (int64_t c = 0; c < in.n; ++c) {
    uint32_t sum = bias ? (uint32_t)bias.getValues<APInt>()[c].getSExtValue()
                        : 0;
    if (isa != Int8Isa::Avx2 && !in.isUnsigned) {
      int64_t weightSum = 0;
      for (int64_t k = 0; k < in.k; ++k)
        weightSum += values[k * in.n + c].getSExtValue();
      sum -= (uint32_t)(128 * weightSum);
    }
    start[c] = APInt(32, sum);
    if (in.requantization)
      multipliers[c] = requantization->multiplierOf(c);
  }
  in.start = arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(RankedTensorType::get({padded}, b.getI32Type()),
                             start));
  if (in.requantization)
    in.multipliers = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get({padded}, b.getF32Type()),
                               ArrayRef<float>(multipliers)));

  Value wide = emitKernel(b, loc, in);
  Type element = in.requantization ? b.getI8Type() : b.getI32Type();
  SmallVector<OpFoldResult> zeros(2, b.getIndexAttr(0)),
      ones(2, b.getIndexAttr(1)),
      sizes = {b.getIndexAttr(in.m), b.getIndexAttr(in.n)};
  Value result = tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get({in.m, in.n}, element), wide, zeros, sizes,
      ones);
  if (in.requantization)
    replaceRequantized(*in.requantization, result);
  else
    op.getResult().replaceAllUsesWith(result);
  op.erase();
  return success();
}
