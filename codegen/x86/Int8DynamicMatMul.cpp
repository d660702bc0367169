//===- Int8DynamicMatMul.cpp - x86 int8 product of two activations --------===//
//
// A matmul_integer whose right operand is computed at run time (attention's
// Q·Kᵀ and P·V): [batch..., M, K] × [batch..., K, N] with equal batch
// shapes and scalar constant zero points z_a, z_b. Its right operand is
// packed per batch, at run time, into the panels the register tiles of
// Int8GemmKernel.cpp read, and the zero points become start values:
//
//   a_u = a's bits as u8 (signed a offset by 128: a = a_u − o_a)
//   b'  = what is packed: VNNI s8 (u8 b less 128), AVX2 16-bit b − z_b
//   (a − z_a)(b − z_b) = (a_u − A)(b' − B)   with A = o_a + z_a,
//                                                 B = z_b − (b − b')
//   Σ_k = Σ a_u·b' − A·Σ_k b'[k][n] − B·Σ_k a_u[m][k] + K·A·B
//
// so each column starts from bias − A·colSum + K·A·B (the column sums are
// taken while packing) and each row adds −B·rowSum (a separate pass over
// the activations; AVX2 has B = 0). Products are exact (vpdpbusd u8×s8;
// vpmaddwd on 16-bit values up to 255 in magnitude) and int32 wraps as
// the reference's does, so the result is the reference's bit for bit.
//
//===----------------------------------------------------------------------===//

#include "Int8GemmKernel.h"
#include "octet/Codegen/Passes.h"
#include "octet/IR/OctetOps.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::x86::gemm;

using mlir::octet::x86::index;

namespace {
Value splat(OpBuilder &b, Location loc, VectorType type, int64_t v) {
  return arith::ConstantOp::create(
      b, loc,
      DenseElementsAttr::get(
          type, APInt(type.getElementTypeBitWidth(), (uint64_t)v,
                      /*isSigned=*/true, /*implicitTrunc=*/true)));
}

/// The value of a scalar constant zero point (0 when absent), or nullopt.
std::optional<int64_t> scalarZeroPoint(Value zeroPoint) {
  if (!zeroPoint)
    return 0;
  DenseElementsAttr values = x86::constantOf(zeroPoint);
  if (!values || values.getNumElements() != 1)
    return std::nullopt;
  APInt v = *values.getValues<APInt>().begin();
  return values.getElementType().isUnsignedInteger() ? v.getZExtValue()
                                                     : v.getSExtValue();
}

/// `value` [batch..., R, C] (any rank ≥ 2) as [B, R, C].
Value asBatched(OpBuilder &b, Location loc, Value value) {
  auto type = cast<RankedTensorType>(value.getType());
  int64_t rank = type.getRank();
  if (rank == 3)
    return value;
  if (rank == 2)
    return tensor::ExpandShapeOp::create(
        b, loc, RankedTensorType::get({1, type.getDimSize(0),
                                       type.getDimSize(1)},
                                      type.getElementType()),
        value, ArrayRef<ReassociationIndices>{{0, 1}, {2}});
  ReassociationIndices batch;
  for (int64_t d = 0; d < rank - 2; ++d)
    batch.push_back(d);
  return tensor::CollapseShapeOp::create(
      b, loc, value,
      ArrayRef<ReassociationIndices>{batch, {rank - 2}, {rank - 1}});
}

/// The inverse of asBatched: [B, R, C] as `type`.
Value unbatched(OpBuilder &b, Location loc, Value value,
                RankedTensorType type) {
  int64_t rank = type.getRank();
  if (rank == 3)
    return value;
  if (rank == 2)
    return tensor::CollapseShapeOp::create(
        b, loc, type, value, ArrayRef<ReassociationIndices>{{0, 1}, {2}});
  ReassociationIndices batch;
  for (int64_t d = 0; d < rank - 2; ++d)
    batch.push_back(d);
  return tensor::ExpandShapeOp::create(
      b, loc, type, value,
      ArrayRef<ReassociationIndices>{batch, {rank - 2}, {rank - 1}});
}

/// What the run-time packing needs besides the kernel's operands.
struct Packing {
  Value rhs;        // [B, K, N] i8 bits
  bool rhsUnsigned; // the bits are u8
  int64_t zb;       // b's zero point (AVX2 packs b − z_b)
  int64_t a;        // A: the column sums' factor
  int64_t bTerm;    // B: the row sums' factor
  DenseElementsAttr startConstant; // [panels·columns]: bias + K·A·B
};

/// Packs k-quad `j` of panel `panel` of batch `batch` (rows past K are
/// zero) into row `row` of `packed`, adding the packed values' column sums
/// to `sums` (one vector<8xi32> per 8 columns).
Value packQuad(OpBuilder &b, Location loc, const KernelOperands &in,
               const Packing &p, Value packed, Value batch, Value column0,
               Value row, Value j, SmallVectorImpl<Value> &sums,
               int64_t validRows) {
  Type i8 = b.getI8Type(), i16 = b.getI16Type(), i32 = b.getI32Type();
  auto bytes8 = VectorType::get({kLanes}, i8);
  auto words8 = VectorType::get({kLanes}, i16);
  auto ints8 = VectorType::get({kLanes}, i32);
  bool words = in.dot == x86::Dot::MaddWd;
  Value zero8 = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, 0));
  Value k0 = arith::MulIOp::create(b, loc, j, index(b, loc, 4));
  SmallVector<int64_t> pairs;
  for (int64_t i = 0; i < kLanes; ++i)
    pairs.append({i, kLanes + i});
  for (int64_t v = 0; v < in.layout.vectors; ++v) {
    Value column = arith::AddIOp::create(b, loc, column0,
                                         index(b, loc, v * kLanes));
    SmallVector<Value> rows;
    for (int64_t h = 0; h < 4; ++h) {
      if (h >= validRows) {
        rows.push_back(splat(b, loc, words ? words8 : bytes8, 0));
        continue;
      }
      Value k = arith::AddIOp::create(b, loc, k0, index(b, loc, h));
      Value r = vector::TransferReadOp::create(
          b, loc, bytes8, p.rhs, ValueRange{batch, k, column}, zero8,
          ArrayRef<bool>{false});
      if (words) {
        // b − z_b in 16 bits: at most 255 in magnitude.
        r = p.rhsUnsigned
                ? arith::ExtUIOp::create(b, loc, words8, r).getResult()
                : arith::ExtSIOp::create(b, loc, words8, r).getResult();
        r = arith::SubIOp::create(b, loc, r, splat(b, loc, words8, p.zb));
      } else if (p.rhsUnsigned) {
        r = arith::XOrIOp::create(b, loc, r, splat(b, loc, bytes8, 0x80));
      }
      sums[v] = arith::AddIOp::create(
          b, loc, sums[v], arith::ExtSIOp::create(b, loc, ints8, r));
      rows.push_back(r);
    }
    if (!words) {
      Value quads = x86::interleaveQuads(b, loc, rows);
      packed = vector::TransferWriteOp::create(
                   b, loc, quads, packed,
                   ValueRange{row, index(b, loc, v * 4 * kLanes)},
                   ArrayRef<bool>{true})
                   .getResult();
      continue;
    }
    // The 16-bit pairs (b0, b2) then (b1, b3) of every column.
    for (int64_t part = 0; part < 2; ++part) {
      Value interleaved = vector::ShuffleOp::create(
          b, loc, rows[part], rows[part + 2], pairs);
      Value asBytes = vector::BitCastOp::create(
          b, loc, VectorType::get({4 * kLanes}, i8), interleaved);
      packed = vector::TransferWriteOp::create(
                   b, loc, asBytes, packed,
                   ValueRange{row, index(b, loc, (2 * v + part) * 4 * kLanes)},
                   ArrayRef<bool>{true})
                   .getResult();
    }
  }
  return packed;
}

/// Batch `batch` of the right operand packed (into `packed`), and its
/// columns' start values (into `start`). Returns the two.
std::pair<Value, Value> packBatch(OpBuilder &b, Location loc,
                                  const KernelOperands &in, const Packing &p,
                                  Value batch, Value packed, Value start) {
  Type i32 = b.getI32Type();
  auto ints8 = VectorType::get({kLanes}, i32);
  int64_t panels = llvm::divideCeil(in.n, in.layout.columns());
  int64_t quads = llvm::divideCeil(in.k, 4), fullQuads = in.k / 4;
  Value startConstant = arith::ConstantOp::create(b, loc, p.startConstant);
  auto loop = scf::ForOp::create(
      b, loc, index(b, loc, 0), index(b, loc, panels), index(b, loc, 1),
      ValueRange{packed, start},
      [&](OpBuilder &b, Location loc, Value panel, ValueRange carried) {
        Value column0 = arith::MulIOp::create(
            b, loc, panel, index(b, loc, in.layout.columns()));
        Value row0 = arith::MulIOp::create(
            b, loc,
            arith::AddIOp::create(
                b, loc,
                arith::MulIOp::create(b, loc, batch, index(b, loc, panels)),
                panel),
            index(b, loc, quads));
        SmallVector<Value> init = {carried[0]};
        for (int64_t v = 0; v < in.layout.vectors; ++v)
          init.push_back(splat(b, loc, ints8, 0));
        auto quadLoop = scf::ForOp::create(
            b, loc, index(b, loc, 0), index(b, loc, fullQuads),
            index(b, loc, 1), init,
            [&](OpBuilder &b, Location loc, Value j, ValueRange state) {
              SmallVector<Value> sums(state.drop_front());
              Value row = arith::AddIOp::create(b, loc, row0, j);
              Value next = packQuad(b, loc, in, p, state[0], batch, column0,
                                    row, j, sums, /*validRows=*/4);
              SmallVector<Value> yielded = {next};
              llvm::append_range(yielded, sums);
              scf::YieldOp::create(b, loc, yielded);
            });
        Value next = quadLoop.getResult(0);
        SmallVector<Value> sums(quadLoop.getResults().drop_front());
        if (quads > fullQuads) {
          Value j = index(b, loc, fullQuads);
          next = packQuad(b, loc, in, p, next, batch, column0,
                          arith::AddIOp::create(b, loc, row0, j), j, sums,
                          in.k - 4 * fullQuads);
        }
        // start = bias + K·A·B − A·Σ_k b'.
        Value starts = carried[1];
        for (int64_t v = 0; v < in.layout.vectors; ++v) {
          Value column = arith::AddIOp::create(b, loc, column0,
                                               index(b, loc, v * kLanes));
          Value constant = vector::TransferReadOp::create(
              b, loc, ints8, startConstant, ValueRange{column},
              arith::ConstantOp::create(b, loc, b.getIntegerAttr(i32, 0)),
              ArrayRef<bool>{true});
          Value value = arith::SubIOp::create(
              b, loc, constant,
              arith::MulIOp::create(b, loc, sums[v],
                                    splat(b, loc, ints8, p.a)));
          starts = vector::TransferWriteOp::create(
                       b, loc, value, starts, ValueRange{batch, column},
                       ArrayRef<bool>{true})
                       .getResult();
        }
        scf::YieldOp::create(b, loc, ValueRange{next, starts});
      });
  return {loop.getResult(0), loop.getResult(1)};
}

/// −B · Σ_k a_u[batch][m][k] for every row m of batch `batch`, into
/// `terms` [B, M].
Value rowTermsOf(OpBuilder &b, Location loc, const KernelOperands &in,
                 const Packing &p, Value batch, Value terms) {
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  constexpr int64_t kChunk = 32;
  auto chunkType = VectorType::get({kChunk}, i8);
  auto sumType = VectorType::get({kChunk}, i32);
  // Padding past K reads as a_u = 0 (signed: 0x80, offset to 0).
  Value pad = arith::ConstantOp::create(
      b, loc, b.getIntegerAttr(i8, in.isUnsigned ? 0 : -128));
  int64_t chunks = llvm::divideCeil(in.k, kChunk);
  auto loop = scf::ForOp::create(
      b, loc, index(b, loc, 0), index(b, loc, in.m), index(b, loc, 1),
      ValueRange{terms},
      [&](OpBuilder &b, Location loc, Value m, ValueRange carried) {
        auto chunkLoop = scf::ForOp::create(
            b, loc, index(b, loc, 0), index(b, loc, chunks), index(b, loc, 1),
            ValueRange{splat(b, loc, sumType, 0)},
            [&](OpBuilder &b, Location loc, Value c, ValueRange acc) {
              Value k = arith::MulIOp::create(b, loc, c, index(b, loc, kChunk));
              Value x = vector::TransferReadOp::create(
                  b, loc, chunkType, in.activations, ValueRange{batch, m, k},
                  pad, ArrayRef<bool>{false});
              if (!in.isUnsigned)
                x = arith::XOrIOp::create(b, loc, x,
                                          splat(b, loc, chunkType, 0x80));
              scf::YieldOp::create(
                  b, loc,
                  ValueRange{arith::AddIOp::create(
                      b, loc, acc[0],
                      arith::ExtUIOp::create(b, loc, sumType, x))});
            });
        Value sum = vector::ReductionOp::create(
            b, loc, vector::CombiningKind::ADD, chunkLoop.getResult(0));
        Value term = arith::MulIOp::create(
            b, loc, sum,
            arith::ConstantOp::create(
                b, loc, b.getIntegerAttr(i32, (int32_t)(uint32_t)-p.bTerm)));
        scf::YieldOp::create(
            b, loc,
            ValueRange{tensor::InsertOp::create(b, loc, term, carried[0],
                                                ValueRange{batch, m})});
      });
  return loop.getResult(0);
}
} // namespace

LogicalResult mlir::octet::x86::rewriteDynamicMatMul(MatMulIntegerOp op,
                                                    Int8Isa isa,
                                                    int64_t kBlock) {
  RankedTensorType lhsType = op.getLhs().getType(),
                    rhsType = op.getRhs().getType(), outType = op.getType();
  int64_t rank = lhsType.getRank();
  if (rank < 2 || rhsType.getRank() != rank ||
      lhsType.getShape().drop_back(2) != rhsType.getShape().drop_back(2))
    return failure();
  std::optional<int64_t> za = scalarZeroPoint(op.getLhsZeroPoint());
  std::optional<int64_t> zb = scalarZeroPoint(op.getRhsZeroPoint());
  DenseElementsAttr bias;
  if (!za || !zb ||
      (op.getBias() &&
       (!(bias = constantOf(op.getBias())) || bias.getType().getRank() != 1)))
    return failure();

  OpBuilder b(op);
  Location loc = op.getLoc();
  KernelOperands in;
  in.batched = true;
  in.m = lhsType.getDimSize(rank - 2);
  in.k = lhsType.getDimSize(rank - 1);
  in.n = rhsType.getDimSize(rank - 1);
  in.batches = lhsType.getNumElements() / (in.m * in.k);
  in.isUnsigned = lhsType.getElementType().isUnsignedInteger();
  in.dot = isa == Int8Isa::Avx2 ? Dot::MaddWd : Dot::Vnni;
  in.layout = Layout{isa == Int8Isa::Avx2 ? 2 : 3};
  in.kBlockQuads = kBlock;
  // The kernels read both operands' bits as i8.
  auto bits = [&](Value v) -> Value {
    auto type = cast<RankedTensorType>(v.getType());
    if (type.getElementType().isUnsignedInteger())
      v = CastOp::create(b, loc, type.clone(b.getIntegerType(8)), v);
    return asBatched(b, loc, v);
  };
  in.activations = bits(op.getLhs());
  Packing p;
  p.rhs = bits(op.getRhs());
  p.rhsUnsigned = rhsType.getElementType().isUnsignedInteger();
  p.zb = *zb;
  p.a = (in.isUnsigned ? 0 : 128) + *za;
  int64_t offset = in.dot == Dot::MaddWd ? *zb : (p.rhsUnsigned ? 128 : 0);
  p.bTerm = *zb - offset;

  int64_t panels = llvm::divideCeil(in.n, in.layout.columns());
  int64_t padded = panels * in.layout.columns();
  SmallVector<APInt> startConstant(padded, APInt(32, 0));
  uint32_t constantTerm = (uint32_t)(in.k * p.a * p.bTerm);
  for (int64_t c = 0; c < padded; ++c) {
    uint32_t v = constantTerm;
    if (bias && c < in.n)
      v += (uint32_t)bias.getValues<APInt>()[c].getSExtValue();
    startConstant[c] = APInt(32, v);
  }
  p.startConstant = DenseElementsAttr::get(
      RankedTensorType::get({padded}, b.getI32Type()), startConstant);

  // Per batch: pack the right operand, its start values and the row terms.
  int64_t quads = llvm::divideCeil(in.k, 4);
  Type i8 = b.getI8Type(), i32 = b.getI32Type();
  SmallVector<Value> buffers = {
      tensor::EmptyOp::create(
          b, loc,
          ArrayRef<int64_t>{in.batches * panels * quads,
                            in.layout.bytes(in.dot)},
          i8),
      tensor::EmptyOp::create(b, loc, ArrayRef<int64_t>{in.batches, padded},
                              i32)};
  if (p.bTerm != 0)
    buffers.push_back(tensor::EmptyOp::create(
        b, loc, ArrayRef<int64_t>{in.batches, in.m}, i32));
  auto packing = scf::ForOp::create(
      b, loc, index(b, loc, 0), index(b, loc, in.batches), index(b, loc, 1),
      buffers,
      [&](OpBuilder &b, Location loc, Value batch, ValueRange carried) {
        auto [packed, start] =
            packBatch(b, loc, in, p, batch, carried[0], carried[1]);
        SmallVector<Value> yielded = {packed, start};
        if (p.bTerm != 0)
          yielded.push_back(rowTermsOf(b, loc, in, p, batch, carried[2]));
        scf::YieldOp::create(b, loc, yielded);
      });
  // Batches pack independently: octet-parallelize may split them.
  packing->setAttr("octet.parallel",
                   b.getI64IntegerAttr(in.batches * in.k * (in.m + in.n)));
  in.packedWeights = packing.getResult(0);
  in.start = packing.getResult(1);
  if (p.bTerm != 0)
    in.rowTerms = packing.getResult(2);

  FailureOr<Requantization> requantization =
      matchRequantization(op.getResult(), /*channelDim=*/rank - 1);
  in.requantization = succeeded(requantization) ? &*requantization : nullptr;
  if (in.requantization) {
    SmallVector<float> multipliers(padded, 0.0f);
    for (int64_t c = 0; c < in.n; ++c)
      multipliers[c] = requantization->multiplierOf(c);
    in.multipliers = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(RankedTensorType::get({padded}, b.getF32Type()),
                               ArrayRef<float>(multipliers)));
  }

  Value wide = emitKernel(b, loc, in);
  Type element = in.requantization ? i8 : i32;
  SmallVector<OpFoldResult> zeros(3, b.getIndexAttr(0)),
      ones(3, b.getIndexAttr(1)),
      sizes = {b.getIndexAttr(in.batches), b.getIndexAttr(in.m),
               b.getIndexAttr(in.n)};
  Value result = tensor::ExtractSliceOp::create(
      b, loc, RankedTensorType::get({in.batches, in.m, in.n}, element), wide,
      zeros, sizes, ones);
  replaceByKernel(op, in.requantization,
                  unbatched(b, loc, result, outType.clone(element)));
  return success();
}
