//===- TensorProtoFile.h - ONNX TensorProto files as arrays -----*- C++ -*-===//
//
// Calibration samples may be ONNX TensorProto `.pb` files (the format of
// ONNX's test data and of onnxruntime's tools), read here into the same
// array type as `.npy` samples.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_TOOLS_TENSORPROTOFILE_H
#define OCTET_TOOLS_TENSORPROTOFILE_H

#include "octet/Builder/Npy.h"

namespace mlir::octet::tools {

/// Reads a float, double, int32 or int64 TensorProto file.
llvm::Expected<NpyArray> readTensorProtoFile(llvm::StringRef path);

} // namespace mlir::octet::tools

#endif // OCTET_TOOLS_TENSORPROTOFILE_H
