//===- Graph.cpp - Builder DSL: graphs, inputs, outputs, weights ----------===//

#include "octet/Builder/Graph.h"
#include "octet/Builder/Npy.h"

#include "octet/IR/OctetDialect.h"
#include "octet/IR/OctetOps.h"

#include "mlir/IR/AsmState.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "mlir/Support/FileUtilities.h"
#include "llvm/ADT/StringExtras.h"
#include "llvm/Support/MathExtras.h"
#include "llvm/Support/ToolOutputFile.h"

using namespace mlir;
using namespace mlir::octet;

//===----------------------------------------------------------------------===//
// TensorSpec and Tensor
//===----------------------------------------------------------------------===//

static TensorSpec makeSpec(ElementKind kind, ArrayRef<int64_t> shape) {
  return {kind, SmallVector<int64_t, 4>(shape)};
}
TensorSpec mlir::octet::f16(ArrayRef<int64_t> shape) {
  return makeSpec(ElementKind::f16, shape);
}
TensorSpec mlir::octet::bf16(ArrayRef<int64_t> shape) {
  return makeSpec(ElementKind::bf16, shape);
}
TensorSpec mlir::octet::f32(ArrayRef<int64_t> shape) {
  return makeSpec(ElementKind::f32, shape);
}
TensorSpec mlir::octet::f64(ArrayRef<int64_t> shape) {
  return makeSpec(ElementKind::f64, shape);
}
TensorSpec mlir::octet::i32(ArrayRef<int64_t> shape) {
  return makeSpec(ElementKind::i32, shape);
}
TensorSpec mlir::octet::i64(ArrayRef<int64_t> shape) {
  return makeSpec(ElementKind::i64, shape);
}

static Type getElementType(MLIRContext *context, ElementKind kind) {
  Builder b(context);
  switch (kind) {
  case ElementKind::f16:
    return b.getF16Type();
  case ElementKind::bf16:
    return b.getBF16Type();
  case ElementKind::f32:
    return b.getF32Type();
  case ElementKind::f64:
    return b.getF64Type();
  case ElementKind::i32:
    return b.getI32Type();
  case ElementKind::i64:
    return b.getI64Type();
  }
  llvm_unreachable("unknown ElementKind");
}

RankedTensorType Tensor::getType() const {
  return value ? dyn_cast<RankedTensorType>(value.getType())
               : RankedTensorType();
}

ArrayRef<int64_t> Tensor::getShape() const {
  RankedTensorType type = getType();
  return type ? type.getShape() : ArrayRef<int64_t>();
}

int64_t Tensor::getRank() const {
  RankedTensorType type = getType();
  return type ? type.getRank() : -1;
}

//===----------------------------------------------------------------------===//
// Graph construction
//===----------------------------------------------------------------------===//

Graph::Graph(StringRef name)
    : ownedContext(std::make_unique<MLIRContext>()),
      context(ownedContext.get()), name(name.str()), builder(context) {
  init();
}

Graph::Graph(MLIRContext *context, StringRef name)
    : context(context), name(name.str()), builder(context) {
  init();
}

Graph::~Graph() = default;

Location Graph::getLoc() const {
  return NameLoc::get(StringAttr::get(context, name));
}

void Graph::init() {
  context->loadDialect<OctetDialect, func::FuncDialect>();
  Location loc = getLoc();
  moduleOp = ModuleOp::create(loc);
  builder.setInsertionPointToEnd(moduleOp->getBody());
  func =
      func::FuncOp::create(builder, loc, name, builder.getFunctionType({}, {}));
  builder.setInsertionPointToEnd(func.addEntryBlock());
}

Location Graph::nameLoc(StringRef prefix, StringRef opName) {
  if (!opName.empty())
    return NameLoc::get(StringAttr::get(context, opName));
  unsigned n = ++nameCounters[prefix];
  return NameLoc::get(StringAttr::get(context, prefix + Twine(n)));
}

bool Graph::acceptsOps(Location loc) {
  if (failedFlag)
    return false;
  if (finished) {
    emitError(loc) << "cannot add to graph '" << name
                   << "' after it was finished";
    failedFlag = true;
    return false;
  }
  return true;
}

Tensor Graph::fail() {
  failedFlag = true;
  return {};
}

Tensor Graph::append(Operation *op) {
  // Inference has run; this adds the rules that live in verifiers (operand
  // type constraints, clip bounds, softmax axes).
  if (failed(verify(op, /*verifyRecursively=*/false))) {
    op->erase();
    return fail();
  }
  return Tensor(this, op->getResult(0));
}

//===----------------------------------------------------------------------===//
// Inputs and outputs
//===----------------------------------------------------------------------===//

Tensor Graph::input(StringRef inputName, const TensorSpec &spec) {
  Location loc = NameLoc::get(StringAttr::get(context, inputName));
  if (!acceptsOps(loc))
    return {};
  if (!inputNames.try_emplace(inputName, true).second) {
    emitError(loc) << "duplicate input name '" << inputName << "'";
    return fail();
  }
  if (llvm::any_of(spec.shape, [](int64_t d) { return d < 0; })) {
    emitError(loc) << "input '" << inputName
                   << "' expects a static shape with non-negative "
                      "dimensions, got ["
                   << ArrayRef<int64_t>(spec.shape) << "]";
    return fail();
  }
  auto type = RankedTensorType::get(spec.shape,
                                    getElementType(context, spec.elementKind));
  return Tensor(this, func.getBody().front().addArgument(type, loc));
}

void Graph::output(StringRef outputName, Tensor value) {
  Location loc = NameLoc::get(StringAttr::get(context, outputName));
  if (!acceptsOps(loc))
    return;
  if (!value) {
    // An empty handle from a failed graph was handled by acceptsOps (if it
    // is this graph); anything else is a caller's mistake.
    if (!value.getGraph() || !value.getGraph()->hasFailed())
      emitError(loc) << "output '" << outputName << "' is an empty tensor";
    fail();
    return;
  }
  if (value.getGraph() != this) {
    emitError(loc) << "output '" << outputName
                   << "' is a tensor of another graph";
    fail();
    return;
  }
  if (!outputNames.try_emplace(outputName, true).second) {
    emitError(loc) << "duplicate output name '" << outputName << "'";
    fail();
    return;
  }
  outputs.push_back(value.getValue());
  outputLocs.push_back(loc);
}

//===----------------------------------------------------------------------===//
// Constants and weights
//===----------------------------------------------------------------------===//

/// A resource key from a tensor name, as the ONNX importer makes them:
/// identifier characters and dots, not starting with a digit.
static std::string blobKey(StringRef name) {
  std::string key;
  for (char c : name)
    key.push_back(llvm::isAlnum(c) || c == '_' || c == '.' ? c : '_');
  if (key.empty() || llvm::isDigit(key[0]))
    key.insert(key.begin(), '_');
  return key;
}

LogicalResult Graph::checkConstantShape(Location loc, StringRef constName,
                                        ArrayRef<int64_t> shape, size_t count) {
  int64_t expected = 1;
  for (int64_t d : shape) {
    if (d < 0 || llvm::MulOverflow(expected, d, expected)) {
      emitError(loc) << "constant '" << constName << "' has an invalid shape ["
                     << shape << "]";
      return failure();
    }
  }
  if (static_cast<uint64_t>(expected) != count) {
    emitError(loc) << "constant '" << constName << "' has " << count
                   << " values, but shape [" << shape << "] needs " << expected;
    return failure();
  }
  return success();
}

Tensor Graph::makeConstant(StringRef constName, RankedTensorType type,
                           ArrayRef<char> bytes, bool forceBlob) {
  Location loc = NameLoc::get(StringAttr::get(context, constName));
  ElementsAttr value;
  if (forceBlob || type.getNumElements() > 16) {
    // Codegen emits weights as 64-byte-aligned read-only data.
    AsmResourceBlob blob = HeapAsmResourceBlob::allocateAndCopyWithAlign(
        bytes, /*align=*/64, /*dataIsMutable=*/false);
    value = DenseResourceElementsAttr::get(type, blobKey(constName),
                                           std::move(blob));
  } else {
    value = DenseElementsAttr::getFromRawBuffer(type, bytes);
  }
  return Tensor(this, ConstantOp::create(builder, loc, value).getResult());
}

static ArrayRef<char> asBytes(ArrayRef<float> values) {
  return ArrayRef<char>(reinterpret_cast<const char *>(values.data()),
                        values.size() * sizeof(float));
}

Tensor Graph::constant(StringRef constName, ArrayRef<int64_t> shape,
                       ArrayRef<float> values) {
  Location loc = NameLoc::get(StringAttr::get(context, constName));
  if (!acceptsOps(loc))
    return {};
  if (failed(checkConstantShape(loc, constName, shape, values.size())))
    return fail();
  auto type = RankedTensorType::get(shape, builder.getF32Type());
  return makeConstant(constName, type, asBytes(values), /*forceBlob=*/false);
}

Tensor Graph::weight(StringRef constName, ArrayRef<int64_t> shape,
                     ArrayRef<float> values) {
  Location loc = NameLoc::get(StringAttr::get(context, constName));
  if (!acceptsOps(loc))
    return {};
  if (failed(checkConstantShape(loc, constName, shape, values.size())))
    return fail();
  auto type = RankedTensorType::get(shape, builder.getF32Type());
  return makeConstant(constName, type, asBytes(values), /*forceBlob=*/true);
}

Tensor Graph::weight(StringRef constName, const NpyArray &array) {
  Location loc = NameLoc::get(StringAttr::get(context, constName));
  if (!acceptsOps(loc))
    return {};
  switch (array.dtype) {
  case NpyDType::f32:
  case NpyDType::f64: {
    // Networks compute in f32; f64 files are common when weights were
    // produced by numpy arithmetic.
    llvm::Expected<std::vector<float>> values = array.toF32();
    if (!values) {
      emitError(loc) << "weight '" << constName
                     << "': " << llvm::toString(values.takeError());
      return fail();
    }
    return weight(constName, array.shape, *values);
  }
  case NpyDType::i32:
  case NpyDType::i64: {
    // Integer data (indices, shapes) keeps its type. An NpyArray may be made
    // by hand, so its size is checked like any constant's.
    size_t elementSize = getNpyElementSize(array.dtype);
    if (array.bytes.size() % elementSize != 0) {
      emitError(loc) << "weight '" << constName << "' has "
                     << array.bytes.size() << " bytes, not a whole number of '"
                     << getNpyDescriptor(array.dtype) << "' elements";
      return fail();
    }
    if (failed(checkConstantShape(loc, constName, array.shape,
                                  array.bytes.size() / elementSize)))
      return fail();
    Type elementType = array.dtype == NpyDType::i32 ? builder.getI32Type()
                                                    : builder.getI64Type();
    auto type = RankedTensorType::get(array.shape, elementType);
    return makeConstant(constName, type, array.bytes, /*forceBlob=*/true);
  }
  }
  llvm_unreachable("unknown NpyDType");
}

Tensor Graph::loadNpy(StringRef constName, StringRef path) {
  Location loc = NameLoc::get(StringAttr::get(context, constName));
  if (!acceptsOps(loc))
    return {};
  llvm::Expected<NpyArray> array = readNpy(path);
  if (!array) {
    emitError(loc) << "cannot load weight '" << constName
                   << "': " << llvm::toString(array.takeError());
    return fail();
  }
  return weight(constName, *array);
}

Tensor Graph::scalar(double value, Type elementType, StringRef constName) {
  Location loc = nameLoc("scalar", constName);
  if (!acceptsOps(loc))
    return {};
  auto floatType = dyn_cast_or_null<FloatType>(elementType);
  if (!floatType) {
    emitError(loc) << "expects a float element type for a scalar, got "
                   << elementType;
    return fail();
  }
  auto type = RankedTensorType::get({}, floatType);
  auto attr = DenseElementsAttr::get(type, FloatAttr::get(floatType, value));
  return Tensor(this, ConstantOp::create(builder, loc, attr).getResult());
}

//===----------------------------------------------------------------------===//
// Finishing and printing
//===----------------------------------------------------------------------===//

LogicalResult Graph::finish() {
  if (failedFlag)
    return failure();
  if (finished)
    return success();
  finished = true;
  if (outputs.empty()) {
    emitError(getLoc()) << "graph '" << name << "' has no outputs";
    failedFlag = true;
    return failure();
  }
  func::ReturnOp::create(builder, FusedLoc::get(context, outputLocs), outputs);
  func.setFunctionType(
      builder.getFunctionType(func.getBody().front().getArgumentTypes(),
                              ValueRange(outputs).getTypes()));
  if (failed(verify(*moduleOp))) {
    failedFlag = true;
    return failure();
  }
  return success();
}

FailureOr<ModuleOp> Graph::module() {
  if (failed(finish()))
    return failure();
  if (!moduleOp) {
    emitError(getLoc()) << "the module of graph '" << name
                        << "' was already taken";
    return failure();
  }
  return *moduleOp;
}

FailureOr<OwningOpRef<ModuleOp>> Graph::takeModule() {
  if (failed(module()))
    return failure();
  if (ownedContext) {
    emitError(getLoc())
        << "takeModule needs a graph built on the caller's MLIRContext";
    return failure();
  }
  return std::move(moduleOp);
}

LogicalResult Graph::print(raw_ostream &os) {
  FailureOr<ModuleOp> module = this->module();
  if (failed(module))
    return failure();
  module->print(os);
  return success();
}

LogicalResult Graph::writeMlir(StringRef path) {
  FailureOr<ModuleOp> module = this->module();
  if (failed(module))
    return failure();
  std::string message;
  std::unique_ptr<llvm::ToolOutputFile> file = openOutputFile(path, &message);
  if (!file) {
    emitError(getLoc()) << "cannot write '" << path << "': " << message;
    return failure();
  }
  module->print(file->os());
  file->keep();
  return success();
}
