//===- Graph.h - Builder DSL: graphs, tensor handles, weights ---*- C++ -*-===//
//
// The C++ builder DSL writes a network as C++ that reads like the network
// and produces the same `octet` IR as the ONNX importer:
//
//   octet::Graph g("mlp");
//   auto x = g.input("x", octet::f32({64, 1000}));
//   auto h = relu(linear(x, w1, b1));
//   g.output("y", linear(h, w2, b2));
//   if (failed(g.writeMlir("mlp.mlir"))) ...
//
// A `Graph` owns one module with one `func.func` named after the graph. A
// `Tensor` is a light handle on a value of that function. Result types come
// from the ops' own type inference, that is from the shape functions in
// ShapeInference.h that the verifiers use. A rule broken while building is
// reported as an MLIR diagnostic at the op's `NameLoc` (such as `"fc1"`);
// the graph then remembers that it failed, later calls on it do nothing and
// return empty tensors, and `finish()` returns failure.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_BUILDER_GRAPH_H
#define OCTET_BUILDER_GRAPH_H

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Builders.h"
#include "mlir/IR/BuiltinOps.h"
#include "mlir/IR/BuiltinTypes.h"
#include "mlir/IR/OwningOpRef.h"
#include "llvm/ADT/SmallVector.h"
#include "llvm/ADT/StringMap.h"

#include <memory>
#include <string>

namespace mlir::octet {

class Graph;
struct NpyArray;

/// Element types a graph input can have.
enum class ElementKind { f16, bf16, f32, f64, i32, i64 };

/// The static type of a graph input, written `f32({1, 784})`.
struct TensorSpec {
  ElementKind elementKind = ElementKind::f32;
  SmallVector<int64_t, 4> shape;
};

TensorSpec f16(ArrayRef<int64_t> shape);
TensorSpec bf16(ArrayRef<int64_t> shape);
TensorSpec f32(ArrayRef<int64_t> shape);
TensorSpec f64(ArrayRef<int64_t> shape);
TensorSpec i32(ArrayRef<int64_t> shape);
TensorSpec i64(ArrayRef<int64_t> shape);

/// A value of a graph: an `mlir::Value` plus the graph that builds ops on
/// it. Empty (false) when the op that should have produced it failed.
class Tensor {
public:
  Tensor() = default;
  Tensor(Graph *graph, Value value) : graph(graph), value(value) {}

  explicit operator bool() const { return static_cast<bool>(value); }
  Value getValue() const { return value; }
  operator Value() const { return value; }
  Graph *getGraph() const { return graph; }

  /// The tensor type; null for an empty handle.
  RankedTensorType getType() const;
  /// The shape; empty for an empty handle (and for a scalar).
  ArrayRef<int64_t> getShape() const;
  /// The rank, or -1 for an empty handle.
  int64_t getRank() const;

private:
  Graph *graph = nullptr;
  Value value;
};

/// A network under construction: one `func.func` in its own module.
class Graph {
public:
  /// A graph on a context of its own, with the dialects it needs loaded.
  explicit Graph(StringRef name);
  /// A graph on the caller's context, which must outlive it (and the
  /// module, when taken with `takeModule`).
  Graph(MLIRContext *context, StringRef name);
  ~Graph();
  Graph(const Graph &) = delete;
  Graph &operator=(const Graph &) = delete;

  MLIRContext *getContext() const { return context; }
  StringRef getName() const { return name; }
  /// The graph's location, a `NameLoc` of its name.
  Location getLoc() const;
  /// Whether an error has been reported; every later call is a no-op.
  bool hasFailed() const { return failedFlag; }

  //===--------------------------------------------------------------------===//
  // Inputs, outputs and constants
  //===--------------------------------------------------------------------===//

  /// Appends a function argument; `name` becomes its location.
  Tensor input(StringRef name, const TensorSpec &spec);
  /// Appends a function result.
  void output(StringRef name, Tensor value);

  /// A float constant of `shape` holding `values` in C order. Like the ONNX
  /// importer, up to 16 elements stay inline (`dense`) so that small data
  /// stays readable; larger ones become `dense_resource` blobs.
  Tensor constant(StringRef name, ArrayRef<int64_t> shape,
                  ArrayRef<float> values);
  /// A learned parameter: like `constant`, but always a `dense_resource`
  /// blob named after `name`, whatever its size.
  Tensor weight(StringRef name, ArrayRef<int64_t> shape,
                ArrayRef<float> values);
  /// A parameter decoded from a `.npy` file: `<f4` and `<f8` become f32
  /// (`<f8` rounded), `<i4` and `<i8` stay i32 and i64.
  Tensor weight(StringRef name, const NpyArray &array);
  /// Reads `path` with `readNpy` and makes it a weight; a file that cannot
  /// be read is a diagnostic at `name`.
  Tensor loadNpy(StringRef name, StringRef path);
  /// A rank-0 constant of the float type `elementType`, inline.
  Tensor scalar(double value, Type elementType, StringRef name = {});

  //===--------------------------------------------------------------------===//
  // The result
  //===--------------------------------------------------------------------===//

  /// Terminates the function and verifies the module. Idempotent; fails if
  /// anything failed before.
  LogicalResult finish();
  /// The finished module, owned by the graph.
  FailureOr<ModuleOp> module();
  /// Moves the finished module out; only for graphs on a caller's context.
  FailureOr<OwningOpRef<ModuleOp>> takeModule();
  /// Prints the finished module as MLIR text.
  LogicalResult print(raw_ostream &os);
  /// Writes the finished module as MLIR text to `path` (`-` is stdout).
  LogicalResult writeMlir(StringRef path);

  //===--------------------------------------------------------------------===//
  // For the op functions (Ops.h)
  //===--------------------------------------------------------------------===//

  OpBuilder &getBuilder() { return builder; }
  /// The location of a new op: `name`, or `prefix` numbered (`fc1`, `fc2`).
  Location nameLoc(StringRef prefix, StringRef name);
  /// Whether ops may still be added; reports an error at `loc` when the
  /// graph is already finished.
  bool acceptsOps(Location loc);
  /// Verifies the freshly created `op`; erases it and fails the graph if it
  /// is invalid, otherwise returns its single result.
  Tensor append(Operation *op);
  /// Records that the graph failed (the diagnostic is already out) and
  /// returns an empty tensor.
  Tensor fail();

private:
  void init();
  /// Makes an `octet.constant` from host-order bytes of `type`.
  Tensor makeConstant(StringRef name, RankedTensorType type,
                      ArrayRef<char> bytes, bool forceBlob);
  /// Checks `shape` against `count` values; reports at `loc`.
  LogicalResult checkConstantShape(Location loc, StringRef name,
                                   ArrayRef<int64_t> shape, size_t count);

  // Declared first so that it is destroyed last, after the module.
  std::unique_ptr<MLIRContext> ownedContext;
  MLIRContext *context;
  std::string name;
  OpBuilder builder;
  OwningOpRef<ModuleOp> moduleOp;
  func::FuncOp func;
  llvm::StringMap<unsigned> nameCounters;
  llvm::StringMap<bool> inputNames, outputNames;
  SmallVector<Value> outputs;
  SmallVector<Location> outputLocs;
  bool failedFlag = false;
  bool finished = false;
};

} // namespace mlir::octet

/// Client code spells the DSL `octet::Graph`, with or without
/// `using namespace mlir`.
namespace octet = mlir::octet;

#endif // OCTET_BUILDER_GRAPH_H
