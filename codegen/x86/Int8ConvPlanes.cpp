//===- Int8ConvPlanes.cpp - Phase planes shared by the x86 convolutions ---===//

#include "Int8ConvPlanes.h"
#include "Int8Kernels.h"
#include "octet/Codegen/Passes.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::x86::planes;

Geometry Geometry::of(Conv2DIntegerOp op) {
  auto inType = op.getInput().getType(), wType = op.getWeight().getType();
  Geometry geo;
  geo.batch = inType.getDimSize(0);
  geo.groups = op.getGroup();
  geo.groupChannels = wType.getDimSize(1);
  geo.quads = llvm::divideCeil(geo.groupChannels, 4);
  geo.groupFilters = wType.getDimSize(0) / geo.groups;
  geo.tileFilters = geo.filterTiles = 0;
  geo.kernelH = wType.getDimSize(2);
  geo.kernelW = wType.getDimSize(3);
  geo.strideH = op.getStrides()[0];
  geo.strideW = op.getStrides()[1];
  geo.dilationH = op.getDilations()[0];
  geo.dilationW = op.getDilations()[1];
  geo.inH = inType.getDimSize(2);
  geo.inW = inType.getDimSize(3);
  geo.outH = op.getType().getDimSize(2);
  geo.outW = op.getType().getDimSize(3);
  geo.phaseH = llvm::divideCeil(geo.inH, geo.strideH);
  geo.phaseW = llvm::divideCeil(geo.inW, geo.strideW);
  geo.isUnsigned = inType.getElementType().isUnsignedInteger();
  geo.tilePixels = geo.pixelTiles = geo.slots = 0;
  geo.dataH = geo.inH;
  geo.dataW = geo.inW;
  return geo;
}

Value Geometry::foldPadding(Conv2DIntegerOp op) {
  auto pad = op.getInput().getDefiningOp<PadOp>();
  if (!pad || pad.getMode() != PadMode::constant)
    return op.getInput();
  ArrayRef<int64_t> pads = pad.getPads();
  if (pads.size() != 8 || pads[0] || pads[1] || pads[4] || pads[5] ||
      llvm::any_of(pads, [](int64_t p) { return p < 0; }))
    return op.getInput();
  auto dataType = cast<RankedTensorType>(pad.getInput().getType());
  padTop = pads[2];
  padLeft = pads[3];
  dataH = dataType.getDimSize(2);
  dataW = dataType.getDimSize(3);
  padBits = (uint8_t)(int64_t)pad.getValue().convertToFloat();
  return pad.getInput();
}

void Geometry::tile(int64_t pixels) {
  tilePixels = pixels;
  pixelTiles = llvm::divideCeil(widePixels(), tilePixels);
  int64_t maxOffset = ((kernelH - 1) * dilationH / strideH) * phaseW +
                      (kernelW - 1) * dilationW / strideW;
  slots = std::max(pixelTiles * tilePixels + maxOffset,
                   phaseH * phaseW + kLanes);
}

Value x86::planes::add(OpBuilder &b, Location loc, Value x, Value y) {
  return arith::AddIOp::create(b, loc, x, y);
}
Value x86::planes::mul(OpBuilder &b, Location loc, Value x, int64_t y) {
  return arith::MulIOp::create(b, loc, x, index(b, loc, y));
}

Value x86::planes::loop(OpBuilder &b, Location loc, int64_t count, Value init,
           function_ref<Value(OpBuilder &, Location, Value, Value)> body,
           int64_t step) {
  return scf::ForOp::create(
             b, loc, index(b, loc, 0), index(b, loc, count),
             index(b, loc, step), ValueRange{init},
             [&](OpBuilder &nb, Location nl, Value i, ValueRange carried) {
               scf::YieldOp::create(nb, nl, body(nb, nl, i, carried[0]));
             })
      .getResult(0);
}

Value x86::planes::readPhaseRow(OpBuilder &b, Location loc,
                                const Geometry &geo, Value input,
                                ValueRange rowIndices, Value first,
                                int64_t count) {
  Type i8 = b.getI8Type();
  int64_t span = (kLanes - 1) * geo.strideW + 1;
  SmallVector<Value> indices(rowIndices);
  indices.push_back(first);
  Value zero = arith::ConstantOp::create(b, loc, b.getIntegerAttr(i8, 0));
  Value bytes;
  if (count == kLanes) {
    bytes = vector::TransferReadOp::create(b, loc, VectorType::get({span}, i8),
                                           input, indices, zero,
                                           ArrayRef<bool>{true});
  } else {
    // The row's last columns: masked, so nothing past the row is read.
    int64_t tailSpan = (count - 1) * geo.strideW + 1;
    Value part = vector::TransferReadOp::create(
        b, loc, VectorType::get({tailSpan}, i8), input, indices, zero,
        ArrayRef<bool>{true});
    SmallVector<int64_t> widen;
    for (int64_t i = 0; i < span; ++i)
      widen.push_back(i < tailSpan ? i : tailSpan);
    Value zeros = arith::ConstantOp::create(
        b, loc, DenseElementsAttr::get(VectorType::get({tailSpan}, i8),
                                       APInt(8, 0)));
    bytes = vector::ShuffleOp::create(b, loc, part, zeros, widen);
  }
  if (geo.strideW == 1)
    return bytes;
  SmallVector<int64_t> pick;
  for (int64_t i = 0; i < kLanes; ++i)
    pick.push_back(i * geo.strideW);
  return vector::ShuffleOp::create(b, loc, bytes, bytes, pick);
}


Value x86::planes::forEachBlock(
    OpBuilder &b, Location loc, const Geometry &geo, Value input,
    Value packed, int64_t units, int64_t unitChannels,
    function_ref<Value(OpBuilder &, Location, Value, Value, Value,
                       ReadChannel, Value)>
        block) {
  int64_t perImage = geo.groups * units;
  Value result = loop(b, loc, geo.batch * perImage, packed,
              [&](OpBuilder &b, Location loc, Value plane, Value packed) {
    // plane = (n·G + g)·units + unit; its first channel in the image.
    Value n = arith::DivUIOp::create(b, loc, plane, index(b, loc, perImage));
    Value groupUnit =
        arith::RemUIOp::create(b, loc, plane, index(b, loc, perImage));
    Value g = arith::DivUIOp::create(b, loc, groupUnit, index(b, loc, units));
    Value unit =
        arith::RemUIOp::create(b, loc, groupUnit, index(b, loc, units));
    Value c0 = add(b, loc, mul(b, loc, g, geo.groupChannels),
                   mul(b, loc, unit, unitChannels));
    Value padding = arith::ConstantOp::create(
        b, loc,
        DenseElementsAttr::get(VectorType::get({kLanes}, b.getI8Type()),
                               APInt(8, geo.padBits)));
    auto fillReader = [&](Value) { return padding; };
    for (int64_t ph = 0; ph < geo.strideH; ++ph)
      for (int64_t pw = 0; pw < geo.strideW; ++pw) {
        if (!geo.phaseUsed(ph, pw))
          continue; // never read: left unwritten
        Value planeRow = add(b, loc, mul(b, loc, plane, geo.phases()),
                             index(b, loc, ph * geo.strideW + pw));
        int64_t columns = geo.validColumns(pw);
        // Phase rows and columns [lo, hi) hold data; the rest padding.
        auto dataRange = [](int64_t pad, int64_t size, int64_t phase,
                            int64_t stride, int64_t valid) {
          int64_t lo = pad > phase ? llvm::divideCeil(pad - phase, stride) : 0;
          int64_t hi = pad + size - 1 >= phase
                           ? (pad + size - 1 - phase) / stride + 1
                           : 0;
          lo = std::min(lo, valid);
          return std::make_pair(lo, std::clamp(hi, lo, valid));
        };
        auto [rowLo, rowHi] = dataRange(geo.padTop, geo.dataH, ph,
                                        geo.strideH, geo.validRows(ph));
        auto [colLo, colHi] = dataRange(geo.padLeft, geo.dataW, pw,
                                        geo.strideW, columns);
        // Padding over phase columns [from, to) of row r, 8 at a time.
        auto fill = [&](OpBuilder &b, Location loc, Value r, int64_t from,
                        int64_t to, Value packed) {
          for (int64_t c = from; c < to; c += kLanes) {
            Value pixel = add(b, loc, mul(b, loc, r, geo.phaseW),
                              index(b, loc, c));
            packed = block(b, loc, planeRow, pixel, c0, fillReader, packed);
          }
          return packed;
        };
        auto padRows = [&](int64_t from, int64_t to, Value packed) {
          return loop(b, loc, to - from, packed,
                      [&](OpBuilder &b, Location loc, Value i, Value packed) {
                        return fill(b, loc, add(b, loc, i, index(b, loc, from)),
                                    0, columns, packed);
                      });
        };
        if (rowLo > 0)
          packed = padRows(0, rowLo, packed);
        packed = loop(b, loc, rowHi - rowLo, packed,
                      [&](OpBuilder &b, Location loc, Value i, Value packed) {
          Value r = add(b, loc, i, index(b, loc, rowLo));
          Value inRow = add(b, loc, mul(b, loc, r, geo.strideH),
                            index(b, loc, ph - geo.padTop));
          packed = fill(b, loc, r, 0, colLo, packed);
          auto emit = [&](OpBuilder &b, Location loc, Value col0,
                          int64_t count, Value packed) -> Value {
            Value first = add(b, loc, mul(b, loc, col0, geo.strideW),
                              index(b, loc, pw - geo.padLeft));
            auto reader = [&](Value channel) {
              return readPhaseRow(b, loc, geo, input,
                                  ValueRange{n, channel, inRow}, first, count);
            };
            Value pixel = add(b, loc, mul(b, loc, r, geo.phaseW), col0);
            return block(b, loc, planeRow, pixel, c0, reader, packed);
          };
          int64_t full = (colHi - colLo) / kLanes * kLanes;
          packed = loop(
              b, loc, full, packed,
              [&](OpBuilder &b, Location loc, Value i, Value packed) {
                return emit(b, loc, add(b, loc, i, index(b, loc, colLo)),
                            kLanes, packed);
              },
              kLanes);
          if (colHi - colLo > full)
            packed = emit(b, loc, index(b, loc, colLo + full),
                          colHi - colLo - full, packed);
          return fill(b, loc, r, colHi, columns, packed);
        });
        if (geo.validRows(ph) > rowHi)
          packed = padRows(rowHi, geo.validRows(ph), packed);
      }
    return packed;
  });
  // Planes are independent: octet-parallelize may split them over threads
  // (the attribute: about 8 multiply-adds' worth per packed byte).
  result.getDefiningOp()->setAttr(
      "octet.parallel",
      b.getI64IntegerAttr(
          8 * cast<RankedTensorType>(packed.getType()).getNumElements()));
  return result;
}

std::pair<Value, Value>
x86::planes::tapOffsetAndPhase(OpBuilder &b, Location loc,
                               const Geometry &geo, Value tap) {
  Value kh = arith::DivUIOp::create(b, loc, tap, index(b, loc, geo.kernelW));
  Value kw = arith::RemUIOp::create(b, loc, tap, index(b, loc, geo.kernelW));
  Value dh = mul(b, loc, kh, geo.dilationH);
  Value dw = mul(b, loc, kw, geo.dilationW);
  auto divRem = [&](Value v, int64_t d) -> std::pair<Value, Value> {
    return {arith::DivUIOp::create(b, loc, v, index(b, loc, d)),
            arith::RemUIOp::create(b, loc, v, index(b, loc, d))};
  };
  auto [rowShift, ph] = divRem(dh, geo.strideH);
  auto [colShift, pw] = divRem(dw, geo.strideW);
  Value phase = add(b, loc, mul(b, loc, ph, geo.strideW), pw);
  Value offset = add(b, loc, mul(b, loc, rowShift, geo.phaseW), colShift);
  return {offset, phase};
}

Value x86::planes::unwiden(OpBuilder &b, Location loc, const Geometry &geo,
                           Value wide, int64_t paddedFilters) {
  Type element = cast<RankedTensorType>(wide.getType()).getElementType();
  auto sliced = [&](Value source, ArrayRef<int64_t> sizes) -> Value {
    SmallVector<OpFoldResult> offsets(sizes.size(), b.getIndexAttr(0)),
        strides(sizes.size(), b.getIndexAttr(1));
    auto type = RankedTensorType::get(sizes, element);
    return tensor::ExtractSliceOp::create(
        b, loc, type, source, offsets,
        getAsIndexOpFoldResult(b.getContext(), sizes), strides);
  };
  int64_t filters = geo.groups * paddedFilters;
  Value result = sliced(wide, {geo.batch, filters, geo.widePixels()});
  result = tensor::ExpandShapeOp::create(
      b, loc,
      RankedTensorType::get(
          {geo.batch, geo.groups, paddedFilters, geo.outH, geo.phaseW},
          element),
      result, ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3, 4}});
  result = sliced(result, {geo.batch, geo.groups, geo.groupFilters, geo.outH,
                           geo.outW});
  return tensor::CollapseShapeOp::create(
      b, loc, result, ArrayRef<ReassociationIndices>{{0}, {1, 2}, {3}, {4}});
}
