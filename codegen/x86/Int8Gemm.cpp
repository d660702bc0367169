//===- Int8Gemm.cpp - AVX2 register-tiled int8 matmul_integer -------------===//
//
// The first of the x86 int8 kernels (docs/x86-int8-kernels.md, stage 1):
// a 2-D matmul_integer of 8-bit activations by constant int8 weights, with
// an optional int32 bias and no zero points (octet-propagate-qdq folds the
// input's into the bias). It computes exactly the reference's int32
// result: vpmaddwd multiplies 16-bit values exactly and sums adjacent
// products into int32, and int32 additions wrap like the reference's, so
// the order of the sums does not matter.
//
// Layout: the weights are packed at compile time into panels of 16 columns
// (two 8-lane vectors), each as K/2 rows of 32 bytes holding, for every
// column, the weights of k and k+1 next to each other. An activation pair
// (x[m][k], x[m][k+1]) is widened to 16 bits and broadcast to all lanes;
// one vpmaddwd per vector then adds x[m][k]·w[k][n] + x[m][k+1]·w[k+1][n]
// to every column n. A register tile is 4 rows × 16 columns: 8 int32
// accumulators that start from the bias and stay in registers for the
// whole reduction.
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
constexpr int64_t kLanes = 8;        // int32 per 256-bit register
constexpr int64_t kPanelVectors = 2; // vectors per register-tile row
constexpr int64_t kPanelColumns = kLanes * kPanelVectors;

/// The constant int8 weights [K, N] packed as [N/16][K/2][16][2] (padded
/// with zeros): for panel p and pair j, the 32 bytes
/// w[2j][16p], w[2j+1][16p], w[2j][16p+1], w[2j+1][16p+1], ...
DenseElementsAttr packWeights(DenseElementsAttr weights) {
  auto type = cast<RankedTensorType>(weights.getType());
  int64_t k = type.getDimSize(0), n = type.getDimSize(1);
  int64_t pairs = llvm::divideCeil(k, 2);
  int64_t panels = llvm::divideCeil(n, kPanelColumns);
  auto values = llvm::to_vector(weights.getValues<APInt>());
  SmallVector<APInt> packed;
  packed.reserve(panels * pairs * kPanelColumns * 2);
  for (int64_t p = 0; p < panels; ++p)
    for (int64_t j = 0; j < pairs; ++j)
      for (int64_t c = 0; c < kPanelColumns; ++c)
        for (int64_t h = 0; h < 2; ++h) {
          int64_t row = 2 * j + h, col = p * kPanelColumns + c;
          packed.push_back(row < k && col < n ? values[row * n + col]
                                              : APInt(8, 0));
        }
  return DenseElementsAttr::get(
      RankedTensorType::get({panels, pairs, kPanelColumns * 2},
                            type.getElementType()),
      packed);
}

struct KernelOperands {
  Value activations; // [M, K] i8 (the bits of u8 when `isUnsigned`)
  bool isUnsigned;
  Value packedWeights; // packWeights' layout
  Value bias;          // [N] i32, or null
  int64_t m, k, n;
};

/// Emits one register tile of `rows` rows from row `row0`, panel `panel`:
/// returns `result` with the tile written.
Value emitTile(OpBuilder &b, Location loc, const KernelOperands &in,
               Value result, Value row0, int64_t rows, Value panel,
               Value column0, ArrayRef<Value> biasVectors) {
  Type i8 = b.getI8Type(), i16 = b.getI16Type(), i32 = b.getI32Type();
  auto accType = VectorType::get({kLanes}, i32);
  auto wideType = VectorType::get({2 * kLanes}, i16);
  Value zero8 = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, 0));
  Value c0 = arith::ConstantIndexOp::create(b, loc, 0);
  auto index = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  SmallVector<Value> init;
  for (int64_t r = 0; r < rows; ++r)
    llvm::append_range(init, biasVectors);

  auto pairs = scf::ForOp::create(
      b, loc, c0, index(llvm::divideCeil(in.k, 2)), index(1), init,
      [&](OpBuilder &nb, Location l, Value pair, ValueRange accs) {
        // The panel's weights for k = 2·pair and 2·pair + 1, widened.
        SmallVector<Value> weights;
        for (int64_t v = 0; v < kPanelVectors; ++v) {
          Value bytes = vector::TransferReadOp::create(
              nb, l, VectorType::get({2 * kLanes}, i8), in.packedWeights,
              ValueRange{panel, pair, index(v * 2 * kLanes)}, zero8,
              ArrayRef<bool>{true});
          weights.push_back(arith::ExtSIOp::create(nb, l, wideType, bytes));
        }
        Value k0 = arith::MulIOp::create(nb, l, pair, index(2));
        SmallVector<Value> next(accs);
        for (int64_t r = 0; r < rows; ++r) {
          Value row = arith::AddIOp::create(nb, l, row0, index(r));
          // x[row][k0], x[row][k0 + 1] (0 past an odd K).
          Value broadcast =
              x86::broadcastPair(nb, l, in.activations, ValueRange{row, k0},
                                 in.isUnsigned, in.k % 2 == 0);
          for (int64_t v = 0; v < kPanelVectors; ++v) {
            Value products =
                LLVM::CallIntrinsicOp::create(
                    nb, l, accType,
                    nb.getStringAttr("llvm.x86.avx2.pmadd.wd"),
                    ValueRange{broadcast, weights[v]})
                    .getResult(0);
            Value &acc = next[r * kPanelVectors + v];
            acc = arith::AddIOp::create(nb, l, acc, products);
          }
        }
        scf::YieldOp::create(nb, l, next);
      });

  for (int64_t r = 0; r < rows; ++r) {
    Value row = arith::AddIOp::create(b, loc, row0, index(r));
    for (int64_t v = 0; v < kPanelVectors; ++v) {
      Value column = arith::AddIOp::create(b, loc, column0, index(v * kLanes));
      // Columns past N are masked off.
      result = vector::TransferWriteOp::create(
                   b, loc, pairs.getResult(r * kPanelVectors + v), result,
                   ValueRange{row, column}, ArrayRef<bool>{false})
                   .getResult();
    }
  }
  return result;
}

/// The whole product: panels of 16 columns, each over tiles of 4 rows and a
/// last tile of the remaining rows.
Value emitKernel(OpBuilder &b, Location loc, const KernelOperands &in) {
  Type i32 = b.getI32Type();
  auto accType = VectorType::get({kLanes}, i32);
  auto resultType = RankedTensorType::get({in.m, in.n}, i32);
  auto index = [&](int64_t v) {
    return arith::ConstantIndexOp::create(b, loc, v).getResult();
  };
  Value empty = tensor::EmptyOp::create(b, loc, resultType.getShape(), i32);
  int64_t panels = llvm::divideCeil(in.n, kPanelColumns);
  int64_t fullRows = in.m / kTileRows * kTileRows;
  auto loop = scf::ForOp::create(
      b, loc, index(0), index(panels), index(1), ValueRange{empty},
      [&](OpBuilder &nb, Location l, Value panel, ValueRange carried) {
        Value column0 = arith::MulIOp::create(nb, l, panel,
                                              index(kPanelColumns));
        // The accumulators start from the panel's bias (0 past N).
        SmallVector<Value> biasVectors;
        for (int64_t v = 0; v < kPanelVectors; ++v) {
          if (!in.bias) {
            biasVectors.push_back(arith::ConstantOp::create(
                nb, l, DenseElementsAttr::get(accType, APInt(32, 0))));
            continue;
          }
          Value column = arith::AddIOp::create(nb, l, column0,
                                               index(v * kLanes));
          Value zero = arith::ConstantOp::create(nb, l,
                                                 nb.getIntegerAttr(i32, 0));
          biasVectors.push_back(vector::TransferReadOp::create(
              nb, l, accType, in.bias, ValueRange{column}, zero,
              ArrayRef<bool>{false}));
        }
        Value result = carried[0];
        if (fullRows > 0) {
          auto tiles = scf::ForOp::create(
              nb, l, index(0), index(fullRows), index(kTileRows),
              ValueRange{result},
              [&](OpBuilder &tb, Location tl, Value row0, ValueRange acc) {
                scf::YieldOp::create(
                    tb, tl,
                    emitTile(tb, tl, in, acc[0], row0, kTileRows, panel,
                             column0, biasVectors));
              });
          result = tiles.getResult(0);
        }
        if (in.m > fullRows)
          result = emitTile(nb, l, in, result, index(fullRows),
                            in.m - fullRows, panel, column0, biasVectors);
        scf::YieldOp::create(nb, l, result);
      });
  return loop.getResult(0);
}

} // namespace

LogicalResult mlir::octet::x86::rewriteMatMul(MatMulIntegerOp op) {
  auto lhsType = op.getLhs().getType(), rhsType = op.getRhs().getType();
  auto constant = op.getRhs().getDefiningOp<ConstantOp>();
  auto weights = constant ? dyn_cast<DenseElementsAttr>(constant.getValue())
                          : nullptr;
  if (lhsType.getRank() != 2 || rhsType.getRank() != 2 ||
      op.getLhsZeroPoint() || op.getRhsZeroPoint() || !weights ||
      !rhsType.getElementType().isSignlessInteger(8) ||
      (op.getBias() && op.getBias().getType().getRank() != 1))
    return failure();
  OpBuilder b(op);
  Location loc = op.getLoc();
  KernelOperands in;
  in.m = lhsType.getDimSize(0);
  in.k = lhsType.getDimSize(1);
  in.n = rhsType.getDimSize(1);
  in.isUnsigned = lhsType.getElementType().isUnsignedInteger();
  in.activations = op.getLhs();
  // The kernel reads the activations' bits as i8 and widens them by
  // their signedness.
  if (in.isUnsigned)
    in.activations = CastOp::create(
        b, loc, lhsType.clone(b.getIntegerType(8)), op.getLhs());
  in.packedWeights = arith::ConstantOp::create(b, loc, packWeights(weights));
  in.bias = op.getBias();
  op.getResult().replaceAllUsesWith(emitKernel(b, loc, in));
  op.erase();
  return success();
}
