//===- ConvertQuant.cpp - Pre-quantized ONNX (QDQ and QOperator forms) ----===//
//
// ONNX carries quantized tensors as plain u8/i8/i32 tensors with separate
// scale and zero-point inputs. The importer gives them `!quant.uniform`
// types: an integer tensor is reinterpreted (`quant.scast`) as its quantized
// type and `octet.dequantize`d; a float result is `octet.quantize`d and cast
// back to storage. QLinearConv and QLinearMatMul become dequantize -> float
// op -> quantize, the same QDQ form that calibration produces, so the
// quantization passes fold both into the same integer ops.
//
//===----------------------------------------------------------------------===//

#include "NodeImport.h"
#include "octet/IR/OctetOps.h"

#include "mlir/IR/TypeUtilities.h"

#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Quant/IR/QuantTypes.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::onnx_import;

namespace {
/// Builds the quantized element type described by a (scale, zero point)
/// input pair of `node`; per-axis along `axis` when the scale is 1-D.
FailureOr<quant::QuantizedType>
quantTypeFor(NodeImport &node, unsigned scaleIndex, unsigned zpIndex,
             Type storageType, int64_t axis, int64_t rank, StringRef what) {
  FailureOr<DenseElementsAttr> scale =
      node.getConstantDense(scaleIndex, (what + " scale").str());
  if (failed(scale))
    return failure();
  SmallVector<double> scales;
  for (APFloat s : scale->getValues<APFloat>())
    scales.push_back(s.convertToDouble());
  SmallVector<int64_t> zeroPoints(scales.size(), 0);
  if (node.hasInput(zpIndex)) {
    FailureOr<DenseElementsAttr> zp =
        node.getConstantDense(zpIndex, (what + " zero point").str());
    if (failed(zp))
      return failure();
    if (zp->getNumElements() != (int64_t)scales.size())
      return (void)node.fail(what + " scale and zero point differ in size"),
             failure();
    storageType = zp->getElementType();
    bool isUnsigned = storageType.isUnsignedInteger();
    zeroPoints.clear();
    for (APInt z : zp->getValues<APInt>())
      zeroPoints.push_back(isUnsigned ? (int64_t)z.getZExtValue()
                                      : z.getSExtValue());
  }
  auto intType = dyn_cast<IntegerType>(storageType);
  if (!intType || !llvm::is_contained({8u, 32u}, intType.getWidth()))
    return (void)node.fail(what + " must be int8, uint8 or int32"), failure();
  for (double s : scales)
    if (!(s > 0) || !std::isfinite(s))
      return (void)node.fail(what + " scale must be positive and finite"),
             failure();
  unsigned width = intType.getWidth();
  bool isSigned = !intType.isUnsigned();
  int64_t qmin =
      quant::QuantizedType::getDefaultMinimumForInteger(isSigned, width);
  int64_t qmax =
      quant::QuantizedType::getDefaultMaximumForInteger(isSigned, width);
  for (int64_t z : zeroPoints)
    if (z < qmin || z > qmax)
      return (void)node.fail(what + " zero point " + Twine(z) +
                             " is out of range"),
             failure();
  Builder b(node.getContext());
  Type storage = b.getIntegerType(width);
  unsigned flags = isSigned ? quant::QuantizationFlags::Signed : 0;
  // One scale is per-tensor quantization whatever its rank.
  if (scales.size() == 1)
    return quant::QuantizedType(quant::UniformQuantizedType::get(
        flags, storage, b.getF32Type(), scales[0], zeroPoints[0], qmin, qmax));
  if (scale->getType().getRank() != 1)
    return (void)node.fail(what + " scale must be a scalar or a 1-D tensor"),
           failure();
  FailureOr<int64_t> a = node.normalizeAxis(axis, rank);
  if (failed(a))
    return failure();
  auto perAxis = quant::UniformQuantizedPerAxisType::getChecked(
      [&] { return node.emitError(); }, flags, storage, b.getF32Type(), scales,
      zeroPoints, *a, qmin, qmax);
  if (!perAxis)
    return failure();
  return quant::QuantizedType(perAxis);
}

/// The storage element type ONNX uses for `type` (ui8 for unsigned 8-bit).
Type onnxStorageType(MLIRContext *ctx, quant::QuantizedType type) {
  unsigned width = type.getStorageTypeIntegralWidth();
  return IntegerType::get(ctx, width,
                          type.isSigned() ? IntegerType::Signless
                                          : IntegerType::Unsigned);
}

/// Integer tensor `x` (ONNX storage) -> float, through its quantized type.
Value dequantize(NodeImport &node, Value x, quant::QuantizedType qtype) {
  auto type = cast<RankedTensorType>(x.getType());
  Value signless = x;
  if (type.getElementType().isUnsignedInteger())
    signless = node.createOp<CastOp>(
        type.clone(
            IntegerType::get(node.getContext(), type.getElementTypeBitWidth())),
        x);
  Value q = node.createOp<quant::StorageCastOp>(type.clone(qtype), signless);
  return node.createOp<DequantizeOp>(q);
}

/// Float tensor `x` -> ONNX storage integers, through `qtype`.
Value quantize(NodeImport &node, Value x, quant::QuantizedType qtype) {
  auto type = cast<RankedTensorType>(x.getType());
  Value q = node.createOp<QuantizeOp>(type.clone(qtype), x);
  Value storage = node.createOp<quant::StorageCastOp>(
      type.clone(IntegerType::get(node.getContext(),
                                  qtype.getStorageTypeIntegralWidth())),
      q);
  Type onnxType = onnxStorageType(node.getContext(), qtype);
  if (onnxType.isUnsignedInteger())
    storage = node.createOp<CastOp>(type.clone(onnxType), storage);
  return storage;
}

LogicalResult convertDequantizeLinear(NodeImport &node) {
  FailureOr<Value> x = node.getInput(0);
  FailureOr<int64_t> axis = node.getIntAttr("axis", 1);
  if (failed(x) || failed(axis))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  FailureOr<quant::QuantizedType> qtype = quantTypeFor(
      node, 1, 2, type.getElementType(), *axis, type.getRank(), "x");
  if (failed(qtype))
    return failure();
  if (qtype->getStorageTypeIntegralWidth() != type.getElementTypeBitWidth())
    return node.fail("x and its zero point differ in element type");
  return node.setOutput(0, dequantize(node, *x, *qtype));
}

LogicalResult convertQuantizeLinear(NodeImport &node) {
  FailureOr<Value> x = node.getInput(0);
  FailureOr<int64_t> axis = node.getIntAttr("axis", 1);
  if (failed(x) || failed(axis))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  if (!type.getElementType().isF32())
    return node.fail("only f32 inputs can be quantized");
  // Without a zero point ONNX quantizes to uint8.
  FailureOr<quant::QuantizedType> qtype = quantTypeFor(
      node, 1, 2, IntegerType::get(node.getContext(), 8, IntegerType::Unsigned),
      *axis, type.getRank(), "y");
  if (failed(qtype))
    return failure();
  return node.setOutput(0, quantize(node, *x, *qtype));
}

/// Dequantizes input `index` of a QLinear op with its scale/zero point at
/// `index + 1`, `index + 2`; weights (`perAxis` >= 0) may be per channel.
FailureOr<Value> dequantizeOperand(NodeImport &node, unsigned index,
                                   int64_t axis, StringRef what) {
  FailureOr<Value> x = node.getInput(index);
  if (failed(x))
    return failure();
  auto type = cast<RankedTensorType>(x->getType());
  FailureOr<quant::QuantizedType> qtype =
      quantTypeFor(node, index + 1, index + 2, type.getElementType(), axis,
                   type.getRank(), what);
  if (failed(qtype))
    return failure();
  return dequantize(node, *x, *qtype);
}

/// The result type of a QLinear op from its y scale and zero point.
FailureOr<quant::QuantizedType> outputQuantType(NodeImport &node,
                                                unsigned index) {
  return quantTypeFor(
      node, index, index + 1,
      IntegerType::get(node.getContext(), 8, IntegerType::Unsigned), 0, 0, "y");
}

LogicalResult convertQLinearConv(NodeImport &node) {
  FailureOr<Value> x = dequantizeOperand(node, 0, 1, "x");
  FailureOr<Value> w = dequantizeOperand(node, 3, 0, "w");
  FailureOr<quant::QuantizedType> yType = outputQuantType(node, 6);
  FailureOr<int64_t> group = node.getIntAttr("group", 1);
  if (failed(x) || failed(w) || failed(yType) || failed(group))
    return failure();
  auto xType = cast<RankedTensorType>(x->getType());
  if (xType.getRank() != 4)
    return node.fail("only 2-D QLinearConv is supported");
  // The int32 bias has scale x_scale * w_scale (per channel) and no zero
  // point.
  Value bias;
  if (node.hasInput(8)) {
    FailureOr<Value> b = node.getInput(8);
    FailureOr<DenseElementsAttr> xs = node.getConstantDense(1, "x scale");
    FailureOr<DenseElementsAttr> ws = node.getConstantDense(4, "w scale");
    if (failed(b) || failed(xs) || failed(ws))
      return failure();
    double xScale = (*xs->value_begin<APFloat>()).convertToDouble();
    SmallVector<double> scales;
    for (APFloat s : ws->getValues<APFloat>())
      scales.push_back(xScale * s.convertToDouble());
    auto bType = cast<RankedTensorType>(b->getType());
    if (!bType.getElementType().isInteger(32))
      return node.fail("the bias must be int32");
    Builder builder(node.getContext());
    int64_t channels = bType.getDimSize(0);
    if (scales.size() == 1)
      scales.assign(channels, scales[0]);
    auto biasType = quant::UniformQuantizedPerAxisType::get(
        quant::QuantizationFlags::Signed, builder.getI32Type(),
        builder.getF32Type(), scales, SmallVector<int64_t>(channels, 0), 0,
        quant::QuantizedType::getDefaultMinimumForInteger(true, 32),
        quant::QuantizedType::getDefaultMaximumForInteger(true, 32));
    bias = dequantize(node, *b, biasType);
  }
  auto pads = node.getIntsAttr("pads", {0, 0, 0, 0});
  auto strides = node.getIntsAttr("strides", {1, 1});
  auto dilations = node.getIntsAttr("dilations", {1, 1});
  auto autoPad = node.getStringAttr("auto_pad", "NOTSET");
  if (failed(pads) || failed(strides) || failed(dilations) || failed(autoPad))
    return failure();
  if (*autoPad != "NOTSET")
    return node.fail("auto_pad is not supported on QLinearConv; use pads");
  OpBuilder &b = node.getBuilder();
  Value y = node.createOp<Conv2DOp>(
      *x, *w, bias, b.getDenseI64ArrayAttr(*strides),
      b.getDenseI64ArrayAttr(*dilations), b.getDenseI64ArrayAttr(*pads),
      b.getI64IntegerAttr(*group), ActivationAttr());
  return node.setOutput(0, quantize(node, y, *yType));
}

LogicalResult convertQLinearMatMul(NodeImport &node) {
  FailureOr<Value> a = dequantizeOperand(node, 0, 0, "a");
  // A 1-D b scale is per output column (the last axis of b).
  FailureOr<RankedTensorType> bType = node.getInputType(3);
  if (failed(a) || failed(bType))
    return failure();
  FailureOr<Value> bValue =
      dequantizeOperand(node, 3, bType->getRank() - 1, "b");
  FailureOr<quant::QuantizedType> yType = outputQuantType(node, 6);
  if (failed(bValue) || failed(yType))
    return failure();
  Value y = node.createOp<MatMulOp>(*a, *bValue);
  return node.setOutput(0, quantize(node, y, *yType));
}
/// ConvInteger and MatMulInteger keep ONNX's integer semantics (exact int32
/// accumulation); zero points may be absent, scalars or per channel.
LogicalResult convertConvInteger(NodeImport &node) {
  if (failed(node.expectOnlyAttrs({"auto_pad", "dilations", "group",
                                   "kernel_shape", "pads", "strides"})))
    return failure();
  FailureOr<Value> x = node.getInput(0), w = node.getInput(1);
  FailureOr<Value> xz = node.getOptionalInput(2), wz = node.getOptionalInput(3);
  FailureOr<int64_t> group = node.getIntAttr("group", 1);
  auto pads = node.getIntsAttr("pads", {0, 0, 0, 0});
  auto strides = node.getIntsAttr("strides", {1, 1});
  auto dilations = node.getIntsAttr("dilations", {1, 1});
  auto autoPad = node.getStringAttr("auto_pad", "NOTSET");
  if (failed(x) || failed(w) || failed(xz) || failed(wz) || failed(group) ||
      failed(pads) || failed(strides) || failed(dilations) || failed(autoPad))
    return failure();
  if (*autoPad != "NOTSET")
    return node.fail("auto_pad is not supported on ConvInteger; use pads");
  if (cast<RankedTensorType>(x->getType()).getRank() != 4)
    return node.fail("only 2-D ConvInteger is supported");
  OpBuilder &b = node.getBuilder();
  return node.setOutput(
      0, node.createOp<Conv2DIntegerOp>(
             *x, *w, *xz, *wz, /*bias=*/Value(),
             b.getDenseI64ArrayAttr(*strides),
             b.getDenseI64ArrayAttr(*dilations), b.getDenseI64ArrayAttr(*pads),
             b.getI64IntegerAttr(*group)));
}

LogicalResult convertMatMulInteger(NodeImport &node) {
  FailureOr<Value> a = node.getInput(0), b = node.getInput(1);
  FailureOr<Value> az = node.getOptionalInput(2), bz = node.getOptionalInput(3);
  if (failed(a) || failed(b) || failed(az) || failed(bz))
    return failure();
  return node.setOutput(0, node.createOp<MatMulIntegerOp>(*a, *b, *az, *bz,
                                                          /*bias=*/Value()));
}

LogicalResult convertDynamicQuantizeLinear(NodeImport &node) {
  FailureOr<Value> x = node.getInput(0);
  if (failed(x))
    return failure();
  auto op = node.createOp<DynamicQuantizeLinearOp>(*x);
  if (failed(node.setOutput(0, op.getOutput())) ||
      failed(node.setOutput(1, op.getScale())))
    return failure();
  return node.setOutput(2, op.getZeroPoint());
}
} // namespace

void onnx_import::addQuantConverters(ConverterTable &table) {
  table["ConvInteger"] = convertConvInteger;
  table["MatMulInteger"] = convertMatMulInteger;
  table["DynamicQuantizeLinear"] = convertDynamicQuantizeLinear;
  table["QuantizeLinear"] = convertQuantizeLinear;
  table["DequantizeLinear"] = convertDequantizeLinear;
  table["QLinearConv"] = convertQLinearConv;
  table["QLinearMatMul"] = convertQLinearMatMul;
}
