//===- Int8Gemm.cpp - x86 register-tiled int8 matmul_integer --------------===//
//
// A 2-D matmul_integer of 8-bit activations by constant int8 weights, with
// an optional constant int32 bias and no zero points (octet-propagate-qdq
// folds the input's into the bias). It computes exactly the reference's
// result: the products are exact, and int32 additions wrap like the
// reference's, so the order of the sums does not matter.
//
// The weights are packed at compile time into panels of columns, each as
// K/4 rows holding, for every column, the weights of 4 consecutive k, for
// the register tiles of Int8GemmKernel.cpp. The sums start from the bias
// (less 128·Σw per column for signed activations, which the tiles offset
// into u8). On AVX2, vpmaddubsw is used where every weight pair is proven
// exact, with unproven pairs split and their second halves added by a
// loop over the panel's list of k-quads, or, where too many pairs would
// split, the exact even/odd-byte vpmaddwd.
//
//===----------------------------------------------------------------------===//

#include "Int8GemmKernel.h"
#include "octet/Codegen/Passes.h"
#include "octet/IR/OctetOps.h"

#include "mlir/Dialect/LLVMIR/LLVMDialect.h"

using namespace mlir;
using namespace mlir::octet;

using namespace mlir::octet::x86::gemm;

namespace {
/// The weights [K, N] as the kernel reads them, rows of bytes per packed
/// k-quad: `main` [panels·ceil(K/4), bytes] (row p·ceil(K/4) + j), and for
/// split pairs `corrections` [E, bytes] at k-quads `where` [E], panel p's
/// entries from starts[p] to starts[p + 1].
struct PackedWeights {
  DenseElementsAttr main, corrections, where, starts;
};

/// Per 8 columns of k-quad j: the quads (w[4j][c], .., w[4j+3][c]) (32
/// bytes), or for MaddWd the 16-bit pairs (w0, w2) then (w1, w3) (64).
PackedWeights packWeights(DenseElementsAttr weights, Layout layout,
                          x86::Dot dot) {
  auto type = cast<RankedTensorType>(weights.getType());
  MLIRContext *context = type.getContext();
  int64_t k = type.getDimSize(0), n = type.getDimSize(1);
  int64_t quads = llvm::divideCeil(k, 4);
  int64_t panels = llvm::divideCeil(n, layout.columns());
  bool words = dot == x86::Dot::MaddWd, split = dot == x86::Dot::MaddUbsw;
  int64_t bytes = layout.bytes(dot);
  auto values = llvm::to_vector(weights.getValues<APInt>());
  auto at = [&](int64_t row, int64_t col) -> int64_t {
    return row < k && col < n ? values[row * n + col].getSExtValue() : 0;
  };
  SmallVector<APInt> main, corrections, where, starts;
  for (int64_t p = 0; p < panels; ++p) {
    starts.push_back(APInt(32, where.size()));
    for (int64_t j = 0; j < quads; ++j) {
      SmallVector<APInt> rest;
      bool needed = false;
      for (int64_t v = 0; v < layout.vectors; ++v) {
        SmallVector<APInt> even, odd;
        for (int64_t lane = 0; lane < kLanes; ++lane) {
          int64_t col = p * layout.columns() + v * kLanes + lane;
          int64_t w[4];
          for (int64_t h = 0; h < 4; ++h)
            w[h] = at(4 * j + h, col);
          if (words) {
            for (int64_t h : {0, 2})
              for (int64_t byte = 0; byte < 2; ++byte) {
                even.push_back(APInt(
                    8, (uint8_t)((uint16_t)(int16_t)w[h] >> (8 * byte))));
                odd.push_back(APInt(
                    8, (uint8_t)((uint16_t)(int16_t)w[h + 1] >> (8 * byte))));
              }
            continue;
          }
          for (int64_t h = 0; h < 4; h += 2) {
            bool exact = !split || x86::pairIsExact(w[h], w[h + 1]);
            for (int64_t i = h; i < h + 2; ++i) {
              int64_t a = exact ? w[i] : std::clamp<int64_t>(w[i], -64, 64);
              main.push_back(APInt(8, a, /*isSigned=*/true));
              rest.push_back(APInt(8, w[i] - a, /*isSigned=*/true));
              needed |= a != w[i];
            }
          }
        }
        llvm::append_range(main, even);
        llvm::append_range(main, odd);
      }
      if (!needed)
        continue;
      llvm::append_range(corrections, rest);
      where.push_back(APInt(32, j));
    }
  }
  starts.push_back(APInt(32, where.size()));
  auto i8 = IntegerType::get(context, 8), i32 = IntegerType::get(context, 32);
  PackedWeights packed;
  packed.main = DenseElementsAttr::get(
      RankedTensorType::get({panels * quads, bytes}, i8), main);
  int64_t entries = where.size();
  if (entries == 0)
    return packed;
  packed.corrections = DenseElementsAttr::get(
      RankedTensorType::get({entries, bytes}, i8), corrections);
  packed.where =
      DenseElementsAttr::get(RankedTensorType::get({entries}, i32), where);
  packed.starts = DenseElementsAttr::get(
      RankedTensorType::get({(int64_t)starts.size()}, i32), starts);
  return packed;
}

} // namespace

LogicalResult mlir::octet::x86::rewriteMatMul(MatMulIntegerOp op, Int8Isa isa,
                                             int64_t kBlock) {
  auto lhsType = op.getLhs().getType(), rhsType = op.getRhs().getType();
  DenseElementsAttr weights = constantOf(op.getRhs()), bias;
  if (op.getBias() &&
      (!(bias = constantOf(op.getBias())) || bias.getType().getRank() != 1))
    return failure();
  if (lhsType.getRank() != 2 || rhsType.getRank() != 2 ||
      op.getLhsZeroPoint() || op.getRhsZeroPoint() || !weights ||
      !rhsType.getElementType().isSignlessInteger(8))
    return failure();
  OpBuilder b(op);
  Location loc = op.getLoc();
  KernelOperands in;
  in.layout = Layout{isa == Int8Isa::Avx2 ? 2 : 3};
  in.kBlockQuads = kBlock;
  in.m = lhsType.getDimSize(0);
  in.k = lhsType.getDimSize(1);
  in.n = rhsType.getDimSize(1);
  in.isUnsigned = lhsType.getElementType().isUnsignedInteger();
  in.activations = op.getLhs();
  // The kernel reads the activations' bits as i8.
  if (in.isUnsigned)
    in.activations = CastOp::create(
        b, loc, lhsType.clone(b.getIntegerType(8)), op.getLhs());
  // AVX2: vpmaddubsw where few weight pairs need splitting, else the exact
  // vpmaddwd path (kMaxSplitFraction).
  in.dot = isa == Int8Isa::Avx2 ? Dot::MaddUbsw : Dot::Vnni;
  PackedWeights packed = packWeights(weights, in.layout, in.dot);
  if (packed.corrections) {
    int64_t steps = llvm::divideCeil(in.n, in.layout.columns()) *
                    llvm::divideCeil(in.k, 4);
    if ((double)packed.where.getNumElements() / steps > kMaxSplitFraction) {
      in.dot = Dot::MaddWd;
      packed = packWeights(weights, in.layout, in.dot);
    }
  }
  in.packedWeights = arith::ConstantOp::create(b, loc, packed.main);
  if (packed.corrections) {
    in.corrections = arith::ConstantOp::create(b, loc, packed.corrections);
    in.where = arith::ConstantOp::create(b, loc, packed.where);
    in.starts = arith::ConstantOp::create(b, loc, packed.starts);
  }

  FailureOr<Requantization> requantization =
      matchRequantization(op.getResult(), /*channelDim=*/1);
  in.requantization = succeeded(requantization) ? &*requantization : nullptr;
  // Sums start from the bias (less 128·Σw for signed input, offset to u8).
  int64_t padded =
      llvm::divideCeil(in.n, in.layout.columns()) * in.layout.columns();
  auto values = llvm::to_vector(weights.getValues<APInt>());
  SmallVector<APInt> start(padded, APInt(32, 0));
  SmallVector<float> multipliers(padded, 0.0f);
  for (int64_t c = 0; c < in.n; ++c) {
    uint32_t sum = bias ? (uint32_t)bias.getValues<APInt>()[c].getSExtValue()
                        : 0;
    if (!in.isUnsigned) {
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
  replaceByKernel(op, in.requantization, result);
  return success();
}
