//===- OnnxChecks.h - ONNX's parser, checker and shape inference -*- C++
//-*-===//
//
// ONNX reports errors by throwing; LLVM code is built without exceptions.
// These wrappers are the only code compiled with exceptions, and turn every
// ONNX exception into an error message at this boundary.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_ONNX_ONNXCHECKS_H
#define OCTET_ONNX_ONNXCHECKS_H

#include <onnx/onnx_pb.h>

#include <string>
#include <unordered_map>

namespace octet::onnx_checks {

/// Parses ONNX text syntax into `model`; returns "" or an error message.
std::string parseText(const std::string &text, onnx::ModelProto &model);

/// Runs `onnx::checker::check_model`; returns "" or the checker's message.
std::string checkModel(const onnx::ModelProto &model);

/// Runs strict shape inference with data propagation, filling value_info
/// and the propagated values of shape computations; returns "" or a message.
std::string
inferShapes(onnx::ModelProto &model,
            std::unordered_map<std::string, onnx::TensorShapeProto> &shapeData);

/// Upgrades `model` to `opset` with ONNX's version converter; returns "" or
/// a message.
std::string convertVersion(onnx::ModelProto &model, int opset);

} // namespace octet::onnx_checks

#endif // OCTET_ONNX_ONNXCHECKS_H
