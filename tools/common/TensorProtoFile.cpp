//===- TensorProtoFile.cpp - ONNX TensorProto files as arrays -------------===//

#include "TensorProtoFile.h"

#include "llvm/Support/MathExtras.h"
#include "llvm/Support/MemoryBuffer.h"

#include <onnx/onnx_pb.h>

#include <cstring>

using namespace llvm;
using mlir::octet::NpyArray;
using mlir::octet::NpyDType;

namespace {
/// The typed field that holds `dtype`'s elements when raw_data is unused.
template <typename T, typename Field>
void appendAll(std::vector<char> &bytes, const Field &values) {
  for (auto v : values) {
    T typed = static_cast<T>(v);
    const char *p = reinterpret_cast<const char *>(&typed);
    bytes.insert(bytes.end(), p, p + sizeof(T));
  }
}
} // namespace

Expected<NpyArray> mlir::octet::tools::readTensorProtoFile(StringRef path) {
  auto buffer = MemoryBuffer::getFile(path);
  if (!buffer)
    return createStringError("cannot read '" + path + "'");
  onnx::TensorProto proto;
  StringRef bytes = (*buffer)->getBuffer();
  if (!proto.ParseFromArray(bytes.data(), (int)bytes.size()))
    return createStringError("'" + path + "' is not an ONNX TensorProto");
  NpyArray array;
  switch (proto.data_type()) {
  case onnx::TensorProto::FLOAT:
    array.dtype = NpyDType::f32;
    appendAll<float>(array.bytes, proto.float_data());
    break;
  case onnx::TensorProto::DOUBLE:
    array.dtype = NpyDType::f64;
    appendAll<double>(array.bytes, proto.double_data());
    break;
  case onnx::TensorProto::INT32:
    array.dtype = NpyDType::i32;
    appendAll<int32_t>(array.bytes, proto.int32_data());
    break;
  case onnx::TensorProto::INT64:
    array.dtype = NpyDType::i64;
    appendAll<int64_t>(array.bytes, proto.int64_data());
    break;
  default:
    return createStringError("'" + path +
                             "': only float, double, int32 and int64 "
                             "TensorProtos can be samples");
  }
  if (proto.has_raw_data())
    array.bytes.assign(proto.raw_data().begin(), proto.raw_data().end());
  int64_t bytesExpected = mlir::octet::getNpyElementSize(array.dtype);
  for (int64_t d : proto.dims()) {
    if (d < 0)
      return createStringError("'" + path + "' has a negative dimension");
    array.shape.push_back(d);
    if (llvm::MulOverflow(bytesExpected, d, bytesExpected))
      return createStringError("'" + path + "' is too large");
  }
  if ((int64_t)array.bytes.size() != bytesExpected)
    return createStringError("'" + path + "': data size disagrees with its "
                             "dimensions");
  return array;
}
