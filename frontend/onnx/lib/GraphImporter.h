//===- GraphImporter.h - Imports one validated ONNX graph -------*- C++ -*-===//

#ifndef OCTET_ONNX_GRAPHIMPORTER_H
#define OCTET_ONNX_GRAPHIMPORTER_H

#include "NodeImport.h"
#include "octet/Onnx/OnnxImporter.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/DenseMap.h"
#include "llvm/ADT/StringSet.h"

#include <unordered_map>

namespace mlir::octet::onnx_import {

/// Maps an ONNX element type to MLIR; null when Octet does not support it.
Type convertElementType(MLIRContext *context, int32_t onnxType);

/// Name of an ONNX element type for messages.
std::string elementTypeName(int32_t onnxType);

/// Converts an initializer or Constant value; `what` names it in errors.
/// Checks the data size against the dims and the element limit before
/// allocating anything.
FailureOr<ElementsAttr> convertTensorProto(Location loc,
                                           const onnx::TensorProto &tensor,
                                           StringRef what,
                                           const OnnxImportOptions &options);

class GraphImporter {
public:
  GraphImporter(
      ModuleOp module, const onnx::ModelProto &model, int64_t opset,
      StringRef fileName, const OnnxImportOptions &options,
      const std::unordered_map<std::string, onnx::TensorShapeProto> &shapeData,
      const llvm::DenseMap<int, onnx::NodeProto> &originals);

  /// Builds the function for the main graph.
  LogicalResult importGraph();

  OpBuilder &getBuilder() { return builder; }
  const OnnxImportOptions &getOptions() const { return options; }
  Location fileLoc() const { return fileLocation; }
  StringRef getFileName() const { return fileName; }

  /// Values by ONNX name; the lookups report errors at `loc`.
  FailureOr<ImportedValue *> lookup(StringRef name, Location loc);
  FailureOr<Value> materialize(ImportedValue &value, Location loc);
  LogicalResult bind(StringRef name, ImportedValue value, Location loc);
  /// A value propagated by ONNX's shape-data inference, if any.
  const onnx::TensorShapeProto *getShapeData(StringRef name) const;

private:
  FailureOr<RankedTensorType> convertValueType(const onnx::ValueInfoProto &info,
                                               StringRef role);

  ModuleOp module;
  const onnx::ModelProto &model;
  int64_t opset;
  std::string fileName;
  const OnnxImportOptions &options;
  const std::unordered_map<std::string, onnx::TensorShapeProto> &shapeData;
  /// Nodes of opsets 18+ as written, where the graph holds an opset-17
  /// stand-in for ONNX's checker (see OpsetCompat.cpp).
  const llvm::DenseMap<int, onnx::NodeProto> &originals;
  Location fileLocation;
  OpBuilder builder;
  llvm::StringMap<ImportedValue> values;
  func::FuncOp func;
};

} // namespace mlir::octet::onnx_import

#endif // OCTET_ONNX_GRAPHIMPORTER_H
