//===- GraphImporter.cpp - One validated ONNX graph to a func.func --------===//

#include "GraphImporter.h"
#include "octet/IR/OctetOps.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/IR/Diagnostics.h"
#include "llvm/Support/MathExtras.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::onnx_import;

GraphImporter::GraphImporter(
    ModuleOp module, const onnx::ModelProto &model, int64_t opset,
    StringRef fileName, const OnnxImportOptions &options,
    const std::unordered_map<std::string, onnx::TensorShapeProto> &shapeData,
    const llvm::DenseMap<int, onnx::NodeProto> &originals)
    : module(module), model(model), opset(opset), fileName(fileName.str()),
      options(options), shapeData(shapeData), originals(originals),
      fileLocation(FileLineColLoc::get(module.getContext(), fileName, 0, 0)),
      builder(module.getContext()) {}

FailureOr<ImportedValue *> GraphImporter::lookup(StringRef name, Location loc) {
  auto it = values.find(name);
  if (it == values.end())
    return emitError(loc) << "value '" << name << "' is not defined", failure();
  return &it->second;
}

FailureOr<Value> GraphImporter::materialize(ImportedValue &value,
                                            Location loc) {
  if (!value.value)
    value.value = ConstantOp::create(builder, loc, value.constant);
  return value.value;
}

LogicalResult GraphImporter::bind(StringRef name, ImportedValue value,
                                  Location loc) {
  // Checked product: dims like [2^32, 2^32] must not wrap to 0.
  int64_t count = 1;
  bool overflow = false;
  for (int64_t d : value.type.getShape())
    overflow |= llvm::MulOverflow(count, d, count);
  if (overflow || count > options.maxElements)
    return emitError(loc) << "value '" << name << "' of type " << value.type
                          << " has more than " << options.maxElements
                          << " elements (the --max-elements limit)",
           failure();
  if (!values.try_emplace(name, value).second)
    return emitError(loc) << "value '" << name << "' is defined twice",
           failure();
  return success();
}

const onnx::TensorShapeProto *
GraphImporter::getShapeData(StringRef name) const {
  auto it = shapeData.find(name.str());
  return it == shapeData.end() ? nullptr : &it->second;
}

FailureOr<RankedTensorType>
GraphImporter::convertValueType(const onnx::ValueInfoProto &info,
                                StringRef role) {
  // Inputs and outputs are not nodes: their diagnostics name them in the
  // message and point at the file.
  Location loc = fileLocation;
  if (!info.type().has_tensor_type())
    return emitError(loc) << role << " '" << info.name() << "' is not a tensor",
           failure();
  const onnx::TypeProto::Tensor &tensor = info.type().tensor_type();
  Type elementType =
      convertElementType(builder.getContext(), tensor.elem_type());
  if (!elementType)
    return emitError(loc) << role << " '" << info.name()
                          << "' has unsupported element type "
                          << elementTypeName(tensor.elem_type()),
           failure();
  if (!tensor.has_shape())
    return emitError(loc) << role << " '" << info.name()
                          << "' has no shape; pass --input-shape "
                          << info.name() << "=...",
           failure();
  SmallVector<int64_t> shape;
  int64_t count = 1;
  for (auto [i, dim] : llvm::enumerate(tensor.shape().dim())) {
    if (!dim.has_dim_value())
      return emitError(loc)
                 << role << " '" << info.name() << "' dimension " << i << " ('"
                 << dim.dim_param() << "') is not static; pass --input-shape "
                 << info.name() << "=...",
             failure();
    if (dim.dim_value() < 0 ||
        llvm::MulOverflow(count, dim.dim_value(), count) ||
        count > options.maxElements)
      return emitError(loc) << role << " '" << info.name()
                            << "' has a negative dimension or more than "
                            << options.maxElements << " elements",
             failure();
    shape.push_back(dim.dim_value());
  }
  return RankedTensorType::get(shape, elementType);
}

LogicalResult GraphImporter::importGraph() {
  const onnx::GraphProto &graph = model.graph();
  builder.setInsertionPointToEnd(module.getBody());

  llvm::StringSet<> initializerNames;
  for (const onnx::TensorProto &init : graph.initializer())
    initializerNames.insert(init.name());

  // Graph inputs that are initializers (IR < 4 style) are weights, not
  // arguments.
  SmallVector<Type> argTypes;
  SmallVector<const onnx::ValueInfoProto *> args;
  for (const onnx::ValueInfoProto &input : graph.input()) {
    if (initializerNames.contains(input.name()))
      continue;
    FailureOr<RankedTensorType> type = convertValueType(input, "input");
    if (failed(type))
      return failure();
    argTypes.push_back(*type);
    args.push_back(&input);
  }
  func = func::FuncOp::create(builder, fileLocation, options.functionName,
                              builder.getFunctionType(argTypes, {}));
  Block *body = func.addEntryBlock();
  builder.setInsertionPointToEnd(body);
  // Names travel with the function, for the C header's descriptors.
  for (auto [i, info] : llvm::enumerate(args))
    func.setArgAttr(i, "octet.name", builder.getStringAttr(info->name()));
  for (auto [arg, info] : llvm::zip(body->getArguments(), args)) {
    ImportedValue value{arg, {}, cast<RankedTensorType>(arg.getType())};
    if (failed(bind(info->name(), value, fileLocation)))
      return failure();
  }

  for (const onnx::TensorProto &init : graph.initializer()) {
    Location loc = fileLocation; // Initializers are not nodes.
    FailureOr<ElementsAttr> attr = convertTensorProto(
        loc, init, "initializer '" + init.name() + "'", options);
    if (failed(attr))
      return failure();
    ImportedValue value{{}, *attr, cast<RankedTensorType>(attr->getType())};
    if (failed(bind(init.name(), value, loc)))
      return failure();
  }

  const ConverterTable &converters = getConverters();
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    auto originalIt = originals.find(index);
    const onnx::NodeProto &source =
        originalIt == originals.end() ? node : originalIt->second;
    std::string name = source.name().empty()
                           ? source.op_type() + "_" + std::to_string(index)
                           : source.name();
    Location loc = NameLoc::get(builder.getStringAttr(name), fileLocation);
    NodeImport import(*this, source, opset, loc);
    auto it = converters.find(source.op_type());
    if (it == converters.end())
      return import.fail("op is not supported");
    // Shape arithmetic on constants is evaluated, not imported.
    // Positional: an omitted optional input is a null attribute.
    SmallVector<ElementsAttr> constantInputs;
    bool allConstant = source.input_size() > 0;
    for (unsigned i = 0; allConstant && i < (unsigned)source.input_size();
         ++i) {
      if (!import.hasInput(i)) {
        constantInputs.push_back({});
        continue;
      }
      allConstant &= import.isConstantInput(i);
      if (allConstant)
        constantInputs.push_back(*import.getConstantInput(i, "input"));
    }
    if (allConstant && source.output_size() == 1) {
      if (ElementsAttr folded = evaluateConstantNode(import, source.op_type(),
                                                     constantInputs, {})) {
        if (failed(import.setConstantOutput(0, folded)))
          return failure();
        continue;
      }
    }
    if (failed(it->second(import)) || import.hasFailedBuild())
      return failure();
    for (unsigned i = 0; i < import.getNumOutputs(); ++i)
      if (import.hasOutput(i) && !values.count(source.output(i)))
        return import.fail("output '" + source.output(i) +
                           "' is not supported");
  }

  SmallVector<Value> results;
  SmallVector<Type> resultTypes;
  for (const onnx::ValueInfoProto &output : graph.output()) {
    Location loc = fileLocation;
    FailureOr<ImportedValue *> value = lookup(output.name(), loc);
    if (failed(value))
      return failure();
    FailureOr<Value> v = materialize(**value, loc);
    if (failed(v))
      return failure();
    // A static shape declared by the model must agree with what we computed.
    const auto &declared = output.type().tensor_type();
    if (declared.has_shape()) {
      ArrayRef<int64_t> computed = (*value)->type.getShape();
      bool mismatch = declared.shape().dim_size() != (int)computed.size();
      for (int d = 0; !mismatch && d < declared.shape().dim_size(); ++d)
        mismatch = declared.shape().dim(d).has_dim_value() &&
                   declared.shape().dim(d).dim_value() != computed[d];
      if (mismatch)
        return emitError(loc) << "output '" << output.name()
                              << "' is declared with a shape other than the "
                                 "computed "
                              << (*value)->type,
               failure();
    }
    results.push_back(*v);
    resultTypes.push_back(v->getType());
  }
  func::ReturnOp::create(builder, fileLocation, results);
  func.setFunctionType(builder.getFunctionType(argTypes, resultTypes));
  for (auto [i, output] : llvm::enumerate(graph.output()))
    func.setResultAttr(i, "octet.name", builder.getStringAttr(output.name()));
  return success();
}
