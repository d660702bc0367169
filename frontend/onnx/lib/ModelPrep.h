//===- ModelPrep.h - Preparing a parsed model for ONNX's checker -*- C++
//-*-===//
//
// Steps between parsing and validation: loading external data safely,
// fixing input shapes, and rewriting opset 18-21 nodes into opset-17
// stand-ins that the checker and shape inference of ONNX 1.12 understand.
// Each returns "" or an error message.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_ONNX_MODELPREP_H
#define OCTET_ONNX_MODELPREP_H

#include "octet/Onnx/OnnxImporter.h"

#include "llvm/ADT/DenseMap.h"

#include <onnx/onnx_pb.h>

#include <string>
#include <vector>

namespace mlir::octet::onnx_import {

/// The newest opset ONNX 1.12 (and so Octet's validation) knows.
constexpr int64_t kValidatedOpset = 17;
/// The newest opset Octet accepts by mapping ops onto opset 17.
constexpr int64_t kNewestOpset = 21;
constexpr int64_t kOldestOpset = 7;
/// Models older than kOldestOpset are upgraded to this one by ONNX's
/// version converter.
constexpr int64_t kUpgradeOpset = 9;

/// Replaces the external data of every initializer and Constant value by the
/// bytes it names, which must lie inside `modelDir`.
std::string loadExternalData(onnx::ModelProto &model, llvm::StringRef modelDir,
                             int64_t maxElements);

/// Turns the graph inputs named in `frozenInputs` into initializers read
/// from their TensorProto files.
std::string freezeInputs(onnx::ModelProto &model,
                         const llvm::StringMap<std::string> &frozenInputs);

/// Gives every graph input a static shape: from `--input-shape`, or 1 for a
/// symbolic leading dimension (with a warning appended to `warnings`).
std::string resolveInputShapes(onnx::ModelProto &model,
                               const OnnxImportOptions &options,
                               std::vector<std::string> &warnings);

/// Rewrites nodes of opsets 18..21 into opset-17 form; ops new since 17
/// become stand-ins whose originals are kept (by node index) in `originals`.
/// Refuses ops whose semantics changed in a way opset 17 cannot express.
std::string downgradeToOpset17(onnx::ModelProto &model, int64_t declared,
                               llvm::DenseMap<int, onnx::NodeProto> &originals);

/// Refuses attribute values that ONNX's checker accepts but its shape
/// inference cannot handle (it would crash).
std::string checkShapeInferenceInputs(const onnx::ModelProto &model);

} // namespace mlir::octet::onnx_import

#endif // OCTET_ONNX_MODELPREP_H
