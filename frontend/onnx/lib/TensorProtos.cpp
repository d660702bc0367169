//===- TensorProtos.cpp - ONNX element types and tensors to MLIR ----------===//

#include "GraphImporter.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::onnx_import;

Type onnx_import::convertElementType(MLIRContext *ctx, int32_t onnxType) {
  Builder b(ctx);
  auto unsignedInt = [&](unsigned width) {
    return IntegerType::get(ctx, width, IntegerType::Unsigned);
  };
  switch (onnxType) {
  case onnx::TensorProto::FLOAT:
    return b.getF32Type();
  case onnx::TensorProto::DOUBLE:
    return b.getF64Type();
  case onnx::TensorProto::FLOAT16:
    return b.getF16Type();
  case onnx::TensorProto::BFLOAT16:
    return b.getBF16Type();
  case onnx::TensorProto::INT8:
    return b.getIntegerType(8);
  case onnx::TensorProto::INT16:
    return b.getIntegerType(16);
  case onnx::TensorProto::INT32:
    return b.getIntegerType(32);
  case onnx::TensorProto::INT64:
    return b.getIntegerType(64);
  case onnx::TensorProto::UINT8:
    return unsignedInt(8);
  case onnx::TensorProto::UINT16:
    return unsignedInt(16);
  case onnx::TensorProto::UINT32:
    return unsignedInt(32);
  case onnx::TensorProto::UINT64:
    return unsignedInt(64);
  case onnx::TensorProto::BOOL:
    return b.getI1Type();
  default:
    return {};
  }
}

std::string onnx_import::elementTypeName(int32_t onnxType) {
  if (onnx::TensorProto::DataType_IsValid(onnxType))
    return onnx::TensorProto::DataType_Name(
        static_cast<onnx::TensorProto::DataType>(onnxType));
  return "type " + std::to_string(onnxType);
}

namespace {
/// Bytes per element in the raw layout MLIR and ONNX share (little endian).
unsigned storageBytes(Type type) {
  if (type.isInteger(1))
    return 1;
  return llvm::divideCeil(type.getIntOrFloatBitWidth(), 8);
}

/// Appends `value` as `bytes` little-endian bytes (host is little endian,
/// which CMake checks).
template <typename T>
void appendBytes(std::vector<char> &out, T value, unsigned bytes) {
  const char *p = reinterpret_cast<const char *>(&value);
  out.insert(out.end(), p, p + bytes);
}

/// Makes a resource blob key from a tensor name: MLIR keys are identifiers.
std::string blobKey(StringRef name) {
  std::string key;
  for (char c : name)
    key.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  if (key.empty() || llvm::isDigit(key[0]))
    key.insert(key.begin(), '_');
  return key;
}
} // namespace

FailureOr<ElementsAttr>
onnx_import::convertTensorProto(Location loc, const onnx::TensorProto &tensor,
                                StringRef what,
                                const OnnxImportOptions &options) {
  MLIRContext *ctx = loc.getContext();
  int32_t dataType = tensor.data_type();
  Type elementType = convertElementType(ctx, dataType);
  if (!elementType)
    return emitError(loc) << what << ": element type "
                          << elementTypeName(dataType) << " is not supported",
           failure();
  if (tensor.has_segment())
    return emitError(loc) << what << ": segmented tensors are not supported",
           failure();
  if (tensor.data_location() == onnx::TensorProto::EXTERNAL)
    return emitError(loc) << what << ": external data was not loaded",
           failure();

  SmallVector<int64_t> shape;
  int64_t count = 1;
  for (int64_t d : tensor.dims()) {
    if (d < 0)
      return emitError(loc) << what << ": negative dimension " << d, failure();
    if (llvm::MulOverflow(count, d, count) || count > options.maxElements)
      return emitError(loc) << what << ": more than " << options.maxElements
                            << " elements (the --max-elements limit)",
             failure();
    shape.push_back(d);
  }
  auto type = RankedTensorType::get(shape, elementType);
  unsigned bytes = storageBytes(elementType);

  // Gather the payload in MLIR's raw layout, from raw_data or typed fields.
  std::vector<char> raw;
  auto sizeError = [&](int64_t got) -> FailureOr<ElementsAttr> {
    return emitError(loc) << what << ": holds " << got
                          << " values but its dims " << type << " need "
                          << count,
           failure();
  };
  if (tensor.has_raw_data()) {
    const std::string &data = tensor.raw_data();
    if ((int64_t)data.size() != count * (int64_t)bytes)
      return emitError(loc) << what << ": raw_data has " << data.size()
                            << " bytes but its dims " << type << " need "
                            << count * (int64_t)bytes,
             failure();
    raw.assign(data.begin(), data.end());
  } else {
    // Each branch checks the value count before anything is reserved.
    switch (dataType) {
    case onnx::TensorProto::FLOAT:
      if (tensor.float_data_size() != count)
        return sizeError(tensor.float_data_size());
      for (float v : tensor.float_data())
        appendBytes(raw, v, 4);
      break;
    case onnx::TensorProto::DOUBLE:
      if (tensor.double_data_size() != count)
        return sizeError(tensor.double_data_size());
      for (double v : tensor.double_data())
        appendBytes(raw, v, 8);
      break;
    case onnx::TensorProto::INT64:
      if (tensor.int64_data_size() != count)
        return sizeError(tensor.int64_data_size());
      for (int64_t v : tensor.int64_data())
        appendBytes(raw, v, 8);
      break;
    case onnx::TensorProto::UINT32:
    case onnx::TensorProto::UINT64:
      if (tensor.uint64_data_size() != count)
        return sizeError(tensor.uint64_data_size());
      for (uint64_t v : tensor.uint64_data())
        appendBytes(raw, v, bytes);
      break;
    default:
      // int32_data carries every type of 32 bits or fewer (fp16/bf16 as
      // their bit patterns).
      if (tensor.int32_data_size() != count)
        return sizeError(tensor.int32_data_size());
      for (int32_t v : tensor.int32_data())
        appendBytes(raw, v, bytes);
      break;
    }
  }

  if (elementType.isInteger(1)) {
    SmallVector<bool> bits(raw.begin(), raw.end());
    for (auto &bit : bits)
      bit = bit != 0;
    return ElementsAttr(DenseElementsAttr::get(type, ArrayRef<bool>(bits)));
  }
  if (count > options.inlineConstantLimit) {
    // Weights: a resource blob, 64-byte aligned for the code generator.
    AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
        ArrayRef<char>(raw.data(), raw.size()), /*align=*/64,
        /*dataIsMutable=*/false);
    return ElementsAttr(DenseResourceElementsAttr::get(
        type, blobKey(tensor.name().empty() ? what : tensor.name()),
        std::move(blob)));
  }
  bool detectedSplat = false;
  if (!DenseElementsAttr::isValidRawBuffer(type, raw, detectedSplat))
    return emitError(loc) << what << ": malformed data", failure();
  return ElementsAttr(DenseElementsAttr::getFromRawBuffer(type, raw));
}
