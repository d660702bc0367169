//===- NodeImport.cpp - Typed access to one ONNX node ---------------------===//

#include "GraphImporter.h"
#include "octet/IR/OctetOps.h"

#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/raw_ostream.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::onnx_import;

std::string onnx_import::typeString(Type type) {
  std::string s;
  llvm::raw_string_ostream os(s);
  os << type;
  return s;
}

OpBuilder &NodeImport::getBuilder() { return graph.getBuilder(); }

const OnnxImportOptions &NodeImport::getImportOptions() const {
  return graph.getOptions();
}

InFlightDiagnostic NodeImport::emitError() {
  // The location names the node (unnamed nodes get `<op>_<index>`).
  StringRef name = node.name();
  if (auto nameLoc = dyn_cast<NameLoc>(loc))
    name = nameLoc.getName().getValue();
  return mlir::emitError(loc)
         << "node '" << name << "' (" << node.op_type() << "): ";
}

LogicalResult NodeImport::fail(const Twine &message) {
  return emitError() << message, failure();
}

bool NodeImport::hasInput(unsigned i) const {
  return (int)i < node.input_size() && !node.input(i).empty();
}

FailureOr<Value> NodeImport::getInput(unsigned i) {
  if (!hasInput(i))
    return fail("expects input #" + Twine(i));
  FailureOr<ImportedValue *> value = graph.lookup(node.input(i), loc);
  if (failed(value))
    return failure();
  return graph.materialize(**value, loc);
}

FailureOr<Value> NodeImport::getOptionalInput(unsigned i) {
  if (!hasInput(i))
    return Value();
  return getInput(i);
}

FailureOr<RankedTensorType> NodeImport::getInputType(unsigned i) {
  if (!hasInput(i))
    return fail("expects input #" + Twine(i));
  FailureOr<ImportedValue *> value = graph.lookup(node.input(i), loc);
  if (failed(value))
    return failure();
  return (*value)->type;
}

bool NodeImport::isConstantInput(unsigned i) const {
  if (!hasInput(i))
    return false;
  FailureOr<ImportedValue *> value =
      graph.lookup(node.input(i), UnknownLoc::get(loc.getContext()));
  return succeeded(value) && (*value)->constant;
}

FailureOr<ElementsAttr> NodeImport::getConstantInput(unsigned i,
                                                     StringRef what) {
  if (!hasInput(i))
    return fail("expects the " + what + " input (#" + Twine(i) + ")");
  FailureOr<ImportedValue *> value = graph.lookup(node.input(i), loc);
  if (failed(value))
    return failure();
  if (!(*value)->constant)
    return fail("expects " + what + " ('" + node.input(i) +
                "') to be a compile-time constant");
  return (*value)->constant;
}

FailureOr<DenseElementsAttr> NodeImport::getConstantDense(unsigned i,
                                                          StringRef what) {
  FailureOr<ElementsAttr> attr = getConstantInput(i, what);
  if (failed(attr))
    return failure();
  DenseElementsAttr dense = getDenseElements(*attr);
  if (!dense)
    return fail("cannot read the contents of " + what);
  return dense;
}

FailureOr<SmallVector<int64_t>> NodeImport::getConstantInts(unsigned i,
                                                            StringRef what) {
  if (hasInput(i) && !isConstantInput(i)) {
    // ONNX's data propagation may know a computed shape.
    if (const onnx::TensorShapeProto *data =
            graph.getShapeData(node.input(i))) {
      SmallVector<int64_t> result;
      bool known = true;
      for (const auto &dim : data->dim()) {
        known &= dim.has_dim_value();
        result.push_back(dim.dim_value());
      }
      if (known)
        return result;
    }
  }
  FailureOr<DenseElementsAttr> attr = getConstantDense(i, what);
  if (failed(attr))
    return failure();
  if (!isa<IntegerType>(attr->getElementType()))
    return fail("expects " + what + " to be an integer tensor");
  SmallVector<int64_t> result;
  for (APInt v : attr->getValues<APInt>())
    result.push_back(v.getSExtValue());
  return result;
}

FailureOr<double> NodeImport::getConstantScalar(unsigned i, StringRef what) {
  FailureOr<DenseElementsAttr> attr = getConstantDense(i, what);
  if (failed(attr))
    return failure();
  if (attr->getNumElements() != 1)
    return fail("expects " + what + " to hold one value, got " +
                Twine(attr->getNumElements()));
  if (isa<FloatType>(attr->getElementType()))
    return (*attr->value_begin<APFloat>()).convertToDouble();
  auto intType = cast<IntegerType>(attr->getElementType());
  APInt v = *attr->value_begin<APInt>();
  return intType.isUnsigned() ? (double)v.getZExtValue()
                              : (double)v.getSExtValue();
}

const onnx::AttributeProto *NodeImport::getAttr(StringRef name) const {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (attr.name() == name)
      return &attr;
  return nullptr;
}

FailureOr<int64_t> NodeImport::getIntAttr(StringRef name, int64_t dflt) {
  const onnx::AttributeProto *attr = getAttr(name);
  if (!attr)
    return dflt;
  if (attr->type() != onnx::AttributeProto::INT)
    return fail("expects attribute '" + name + "' to be an int");
  return attr->i();
}

FailureOr<double> NodeImport::getFloatAttr(StringRef name, double dflt) {
  const onnx::AttributeProto *attr = getAttr(name);
  if (!attr)
    return dflt;
  if (attr->type() != onnx::AttributeProto::FLOAT)
    return fail("expects attribute '" + name + "' to be a float");
  return attr->f();
}

FailureOr<std::string> NodeImport::getStringAttr(StringRef name,
                                                 StringRef dflt) {
  const onnx::AttributeProto *attr = getAttr(name);
  if (!attr)
    return dflt.str();
  if (attr->type() != onnx::AttributeProto::STRING)
    return fail("expects attribute '" + name + "' to be a string");
  return attr->s();
}

FailureOr<SmallVector<int64_t>>
NodeImport::getIntsAttr(StringRef name, ArrayRef<int64_t> dflt) {
  const onnx::AttributeProto *attr = getAttr(name);
  if (!attr)
    return SmallVector<int64_t>(dflt);
  if (attr->type() != onnx::AttributeProto::INTS)
    return fail("expects attribute '" + name + "' to be a list of ints");
  return SmallVector<int64_t>(attr->ints().begin(), attr->ints().end());
}

FailureOr<SmallVector<double>> NodeImport::getFloatsAttr(StringRef name) {
  const onnx::AttributeProto *attr = getAttr(name);
  if (!attr)
    return SmallVector<double>();
  if (attr->type() != onnx::AttributeProto::FLOATS)
    return fail("expects attribute '" + name + "' to be a list of floats");
  return SmallVector<double>(attr->floats().begin(), attr->floats().end());
}

FailureOr<SmallVector<std::string>> NodeImport::getStringsAttr(StringRef name) {
  const onnx::AttributeProto *attr = getAttr(name);
  if (!attr)
    return SmallVector<std::string>();
  if (attr->type() != onnx::AttributeProto::STRINGS)
    return fail("expects attribute '" + name + "' to be a list of strings");
  return SmallVector<std::string>(attr->strings().begin(),
                                  attr->strings().end());
}

LogicalResult NodeImport::expectOnlyAttrs(ArrayRef<StringRef> known) {
  for (const onnx::AttributeProto &attr : node.attribute())
    if (!llvm::is_contained(known, attr.name()))
      return fail("attribute '" + attr.name() + "' is not supported");
  return success();
}

FailureOr<int64_t> NodeImport::normalizeAxis(int64_t axis, int64_t rank,
                                             StringRef what) {
  if (axis < -rank || axis >= rank)
    return fail(what + " " + Twine(axis) + " is out of range for rank " +
                Twine(rank));
  return axis < 0 ? axis + rank : axis;
}

bool NodeImport::hasOutput(unsigned i) const {
  return (int)i < node.output_size() && !node.output(i).empty();
}

LogicalResult NodeImport::setOutput(unsigned i, Value value) {
  if (failedBuild)
    return failure(); // Already diagnosed when the op was built.
  if (!hasOutput(i))
    return success(); // An omitted optional output: nothing to bind.
  ImportedValue imported;
  imported.value = value;
  imported.type = dyn_cast<RankedTensorType>(value.getType());
  if (!imported.type)
    return fail("produces a non-tensor value");
  return graph.bind(node.output(i), imported, loc);
}

LogicalResult NodeImport::setConstantOutput(unsigned i, ElementsAttr value) {
  if (!hasOutput(i))
    return success();
  ImportedValue imported;
  imported.constant = value;
  imported.type = cast<RankedTensorType>(value.getType());
  return graph.bind(node.output(i), imported, loc);
}
