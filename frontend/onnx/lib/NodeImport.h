//===- NodeImport.h - What an ONNX op converter sees of its node -*- C++
//-*-===//
//
// Converters (one file per op family) map one ONNX node to octet ops through
// this interface: typed access to inputs, constant inputs and attributes,
// binding of outputs, and errors that name the file, node and op.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_ONNX_NODEIMPORT_H
#define OCTET_ONNX_NODEIMPORT_H

#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinAttributes.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/Interfaces/InferTypeOpInterface.h"
#include "octet/Onnx/OnnxImporter.h"
#include "llvm/ADT/StringMap.h"

#include <onnx/onnx_pb.h>

namespace mlir::octet::onnx_import {

/// A tensor during import: its SSA value (materialized on first use when it
/// is a constant) and, when known at compile time, its contents.
struct ImportedValue {
  Value value;
  ElementsAttr constant;
  RankedTensorType type;
};

class GraphImporter;

class NodeImport {
public:
  NodeImport(GraphImporter &graph, const onnx::NodeProto &node, int64_t opset,
             Location loc)
      : graph(graph), node(node), opset(opset), loc(loc) {}

  const onnx::NodeProto &getNode() const { return node; }
  int64_t getOpset() const { return opset; }
  Location getLoc() const { return loc; }
  OpBuilder &getBuilder();
  MLIRContext *getContext() { return loc.getContext(); }
  const OnnxImportOptions &getImportOptions() const;

  /// Reports an error prefixed with the node's name and op type.
  InFlightDiagnostic emitError();
  /// Same, returning failure, for one-line error exits.
  LogicalResult fail(const Twine &message);

  /// Inputs. ONNX marks an omitted optional input with an empty name.
  bool hasInput(unsigned i) const;
  unsigned getNumInputs() const { return node.input_size(); }
  /// The input as an SSA tensor value; fails with a diagnostic if absent.
  FailureOr<Value> getInput(unsigned i);
  /// The input's value, or a null Value when absent.
  FailureOr<Value> getOptionalInput(unsigned i);
  /// The input's static type; fails if absent.
  FailureOr<RankedTensorType> getInputType(unsigned i);
  /// The input's contents, which must be known at compile time.
  FailureOr<ElementsAttr> getConstantInput(unsigned i, StringRef what);
  /// The input's contents as a DenseElementsAttr (resource blobs are
  /// read into one), for element-wise access.
  FailureOr<DenseElementsAttr> getConstantDense(unsigned i, StringRef what);
  /// The contents of a constant integer input as int64 values.
  FailureOr<SmallVector<int64_t>> getConstantInts(unsigned i, StringRef what);
  /// The single value of a constant scalar (or one-element) float input.
  FailureOr<double> getConstantScalar(unsigned i, StringRef what);
  /// True when input `i` is present and known at compile time.
  bool isConstantInput(unsigned i) const;

  /// Attributes, type-checked; a missing attribute yields the default.
  const onnx::AttributeProto *getAttr(StringRef name) const;
  FailureOr<int64_t> getIntAttr(StringRef name, int64_t defaultValue);
  FailureOr<double> getFloatAttr(StringRef name, double defaultValue);
  FailureOr<std::string> getStringAttr(StringRef name, StringRef defaultValue);
  FailureOr<SmallVector<int64_t>> getIntsAttr(StringRef name,
                                              ArrayRef<int64_t> defaultValue);
  FailureOr<SmallVector<double>> getFloatsAttr(StringRef name);
  FailureOr<SmallVector<std::string>> getStringsAttr(StringRef name);
  /// Fails if any attribute other than `known` is set (so an unhandled
  /// attribute never silently changes semantics).
  LogicalResult expectOnlyAttrs(ArrayRef<StringRef> known);

  /// Maps an ONNX axis in [-rank, rank) to [0, rank).
  FailureOr<int64_t> normalizeAxis(int64_t axis, int64_t rank,
                                   StringRef what = "axis");

  /// Outputs.
  unsigned getNumOutputs() const { return node.output_size(); }
  bool hasOutput(unsigned i) const;
  LogicalResult setOutput(unsigned i, Value value);
  LogicalResult setConstantOutput(unsigned i, ElementsAttr value);

  /// Builds `OpTy` at the node's location. Result types are inferred; when
  /// inference rejects the operands the diagnostic is reported, the node is
  /// marked failed and the op keeps placeholder `none` results so the
  /// converter can finish without special cases (the import then fails).
  template <typename OpTy, typename... Args> OpTy createOp(Args &&...args) {
    OpBuilder &b = getBuilder();
    if constexpr (OpTy::template hasTrait<InferTypeOpInterface::Trait>()) {
      SmallVector<Type> placeholders(numResults<OpTy>(), b.getNoneType());
      OpTy op = OpTy::create(b, loc, TypeRange(placeholders),
                             std::forward<Args>(args)...);
      SmallVector<Type> types;
      if (!failedBuild &&
          succeeded(OpTy::inferReturnTypes(
              getContext(), loc, op->getOperands(), op->getRawDictionaryAttrs(),
              op->getPropertiesStorage(), op->getRegions(), types))) {
        for (auto [result, type] : llvm::zip(op->getResults(), types))
          result.setType(type);
      } else {
        failedBuild = true;
      }
      return op;
    } else {
      return OpTy::create(b, loc, std::forward<Args>(args)...);
    }
  }

  /// True once an op of this node could not be built.
  bool hasFailedBuild() const { return failedBuild; }

private:
  template <typename OpTy> static constexpr unsigned numResults() {
    if constexpr (OpTy::template hasTrait<OpTrait::OneResult>())
      return 1;
    else if constexpr (OpTy::template hasTrait<OpTrait::NResults<2>::Impl>())
      return 2;
    else
      return 3;
  }

  GraphImporter &graph;
  bool failedBuild = false;
  const onnx::NodeProto &node;
  int64_t opset;
  Location loc;
};

/// Prints a type for messages.
std::string typeString(Type type);

/// Converts one node; reports its own errors.
using ConvertFn = LogicalResult (*)(NodeImport &);
using ConverterTable = llvm::StringMap<ConvertFn>;

/// Per-family registration, each in its own file.
void addNNConverters(ConverterTable &table);
void addMathConverters(ConverterTable &table);
void addTensorConverters(ConverterTable &table);
void addRnnConverters(ConverterTable &table);
void addQuantConverters(ConverterTable &table);

/// Every supported default-domain op type.
const ConverterTable &getConverters();

/// Constant evaluation of small shape computations at import time; returns
/// a null attribute when `opType` is not evaluated this way.
ElementsAttr evaluateConstantNode(NodeImport &node, StringRef opType,
                                  ArrayRef<ElementsAttr> inputs,
                                  RankedTensorType resultType);

} // namespace mlir::octet::onnx_import

#endif // OCTET_ONNX_NODEIMPORT_H
