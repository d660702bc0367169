//===- OnnxImporter.cpp - The ONNX import pipeline ------------------------===//
//
// parse -> opset and op-support checks -> external data -> input shapes ->
// opset 18+ mapping -> ONNX checker -> ONNX shape inference -> graph import
// -> MLIR verification. Every failure is a diagnostic at the model file.
//
//===----------------------------------------------------------------------===//

#include "octet/Onnx/OnnxImporter.h"

#include "GraphImporter.h"
#include "ModelPrep.h"
#include "OnnxChecks.h"
#include "octet/IR/OctetDialect.h"

#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/IR/Diagnostics.h"
#include "mlir/IR/Verifier.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"
#include <map>

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::onnx_import;

void mlir::octet::registerOnnxImportDialects(DialectRegistry &registry) {
  registry.insert<OctetDialect, func::FuncDialect, quant::QuantDialect>();
}

namespace {
bool isDefaultDomain(StringRef domain) {
  return domain.empty() || domain == "ai.onnx";
}

/// Lists every op the importer cannot convert, in one message.
std::string findUnsupportedOps(const onnx::GraphProto &graph) {
  std::map<std::string, SmallVector<std::string>> unsupported;
  const ConverterTable &converters = getConverters();
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    std::string op = node.op_type();
    if (!isDefaultDomain(node.domain()))
      op = node.domain() + ":" + op;
    else if (converters.count(op))
      continue;
    unsupported[op].push_back(node.name().empty()
                                  ? node.op_type() + "_" + std::to_string(index)
                                  : node.name());
  }
  if (unsupported.empty())
    return "";
  size_t nodes = 0;
  for (auto &entry : unsupported)
    nodes += entry.second.size();
  std::string message = "unsupported ONNX ops (" +
                        std::to_string(unsupported.size()) + " op types, " +
                        std::to_string(nodes) + " nodes):";
  for (auto &[op, names] : unsupported) {
    message += "\n  " + (op.empty() ? std::string("<no op type>") : op) + " x" +
               std::to_string(names.size()) + ": ";
    for (size_t i = 0; i < names.size() && i < 8; ++i)
      message += (i ? ", " : "") + names[i];
    if (names.size() > 8)
      message += ", ...";
  }
  return message;
}

/// ONNX's checker does not check that graph outputs are produced, and its
/// version converter crashes when one is not.
std::string checkOutputsDefined(const onnx::GraphProto &graph) {
  llvm::StringSet<> defined;
  for (const onnx::ValueInfoProto &input : graph.input())
    defined.insert(input.name());
  for (const onnx::TensorProto &init : graph.initializer())
    defined.insert(init.name());
  for (const onnx::NodeProto &node : graph.node())
    for (const std::string &output : node.output())
      defined.insert(output);
  for (const onnx::ValueInfoProto &output : graph.output())
    if (!defined.contains(output.name()))
      return "graph output '" + output.name() + "' is not produced by any node";
  return "";
}

/// Before opset 7, `broadcast=1` with an `axis` aligns B at that axis of A.
/// ONNX 1.12's version converter always aligns B at the end (a silent wrong
/// result otherwise), so only `axis == rank(A) - rank(B)` is accepted. Runs
/// after shape inference, which records the ranks.
std::string checkLegacyBroadcast(const onnx::GraphProto &graph) {
  llvm::StringMap<int> ranks;
  auto record = [&](const onnx::ValueInfoProto &v) {
    if (v.type().tensor_type().has_shape())
      ranks[v.name()] = v.type().tensor_type().shape().dim_size();
  };
  llvm::for_each(graph.input(), record);
  llvm::for_each(graph.value_info(), record);
  llvm::for_each(graph.output(), record);
  for (const onnx::TensorProto &init : graph.initializer())
    ranks[init.name()] = init.dims_size();
  for (auto [index, node] : llvm::enumerate(graph.node())) {
    bool broadcast = false;
    std::optional<int64_t> axis;
    for (const onnx::AttributeProto &attr : node.attribute()) {
      broadcast |= attr.name() == "broadcast" && attr.i() != 0;
      if (attr.name() == "axis")
        axis = attr.i();
    }
    if (!broadcast || !axis || node.input_size() < 2)
      continue;
    auto a = ranks.find(node.input(0)), b = ranks.find(node.input(1));
    if (a != ranks.end() && b != ranks.end() && *axis == a->second - b->second)
      continue;
    return "node '" +
           (node.name().empty() ? node.op_type() + "_" + std::to_string(index)
                                : node.name()) +
           "' (" + node.op_type() +
           "): legacy broadcasting at an inner 'axis' (opset < 7) is not "
           "supported";
  }
  return "";
}

/// ONNX 1.12's version converter stores dimensions as int, so larger ones
/// would silently wrap; they are refused before conversion.
std::string checkDimsFitInt(const onnx::GraphProto &graph) {
  auto check = [](const onnx::ValueInfoProto &v) -> std::string {
    for (const auto &dim : v.type().tensor_type().shape().dim())
      if (dim.has_dim_value() &&
          (dim.dim_value() < 0 ||
           dim.dim_value() > std::numeric_limits<int>::max()))
        return "'" + v.name() + "' has dimension " +
               std::to_string(dim.dim_value()) +
               ", too large for an opset < 7 model";
    return "";
  };
  for (const auto *list :
       {&graph.input(), &graph.output(), &graph.value_info()})
    for (const onnx::ValueInfoProto &v : *list)
      if (std::string error = check(v); !error.empty())
        return error;
  for (const onnx::TensorProto &init : graph.initializer())
    for (int64_t d : init.dims())
      if (d < 0 || d > std::numeric_limits<int>::max())
        return "initializer '" + init.name() + "' has dimension " +
               std::to_string(d) + ", too large for an opset < 7 model";
  return "";
}

/// The opset of the default domain, or an error.
FailureOr<int64_t> defaultOpset(const onnx::ModelProto &model,
                                std::string &error) {
  int defaults = llvm::count_if(model.opset_import(), [](const auto &o) {
    return isDefaultDomain(o.domain());
  });
  if (defaults > 1) {
    error = "declares the default ONNX domain's opset more than once";
    return failure();
  }
  for (const onnx::OperatorSetIdProto &opset : model.opset_import())
    if (isDefaultDomain(opset.domain())) {
      int64_t v = opset.version();
      if (v < 1 || v > kNewestOpset) {
        error = "declares opset " + std::to_string(v) +
                "; Octet imports opsets 1 to " + std::to_string(kNewestOpset);
        return failure();
      }
      return v;
    }
  error = "declares no opset for the default ONNX domain";
  return failure();
}
} // namespace

OwningOpRef<ModuleOp>
mlir::octet::importOnnxBuffer(MLIRContext *context, StringRef bytes,
                              StringRef displayName, StringRef modelDir,
                              bool isText, const OnnxImportOptions &options) {
  context->loadDialect<OctetDialect, func::FuncDialect, quant::QuantDialect>();
  Location fileLoc = FileLineColLoc::get(context, displayName, 0, 0);
  auto fail = [&](const Twine &message) -> OwningOpRef<ModuleOp> {
    emitError(fileLoc) << message;
    return {};
  };

  onnx::ModelProto model;
  if (isText) {
    std::string error = ::octet::onnx_checks::parseText(bytes.str(), model);
    if (!error.empty())
      return fail(error);
  } else if (bytes.size() > (size_t)std::numeric_limits<int>::max() ||
             !model.ParseFromArray(bytes.data(), (int)bytes.size())) {
    return fail("cannot parse the file as a binary ONNX model (protobuf); "
                "text models need the .onnxtxt extension");
  }
  if (!model.has_graph())
    return fail("the model has no graph");

  std::string error;
  FailureOr<int64_t> opset = defaultOpset(model, error);
  if (failed(opset))
    return fail(error);
  if (std::string unsupported = findUnsupportedOps(model.graph());
      !unsupported.empty())
    return fail(unsupported);
  if (!(error = checkOutputsDefined(model.graph())).empty())
    return fail(error);
  // Opsets before 7 (legacy broadcasting, consumed_inputs, is_test) are
  // upgraded by ONNX's own version converter; converters see 7 and later.
  if (*opset < kOldestOpset) {
    // The converter trusts its input (it crashes on undefined names) and
    // needs inferred shapes, so the checker and inference run first. It
    // targets opset 9, the first where the int64 Constant it makes of an
    // old Reshape's shape attribute is valid.
    std::unordered_map<std::string, onnx::TensorShapeProto> unused;
    if (!(error = ::octet::onnx_checks::checkModel(model)).empty() ||
        !(error = checkDimsFitInt(model.graph())).empty() ||
        !(error = checkShapeInferenceInputs(model)).empty() ||
        !(error = ::octet::onnx_checks::inferShapes(model, unused)).empty() ||
        !(error = checkLegacyBroadcast(model.graph())).empty() ||
        !(error = ::octet::onnx_checks::convertVersion(model, kUpgradeOpset))
             .empty())
      return fail(error);
    opset = kUpgradeOpset;
  }

  llvm::DenseMap<int, onnx::NodeProto> originals;
  std::vector<std::string> warnings;
  if (!(error = freezeInputs(model, options.frozenInputs)).empty() ||
      !(error = loadExternalData(model, modelDir, options.maxElements))
           .empty() ||
      !(error = resolveInputShapes(model, options, warnings)).empty() ||
      !(error = downgradeToOpset17(model, *opset, originals)).empty())
    return fail(error);
  for (const std::string &warning : warnings)
    emitWarning(fileLoc) << warning;
  // IR versions 9 and 10 add only element types Octet refuses anyway; the
  // checker of ONNX 1.12 stops at 8. Later versions are unknown.
  if (model.ir_version() > 10)
    return fail("declares IR version " + Twine(model.ir_version()) +
                "; Octet reads IR versions up to 10");
  if (model.ir_version() > 8)
    model.set_ir_version(8);

  std::unordered_map<std::string, onnx::TensorShapeProto> shapeData;
  if (!(error = ::octet::onnx_checks::checkModel(model)).empty() ||
      !(error = checkShapeInferenceInputs(model)).empty() ||
      !(error = ::octet::onnx_checks::inferShapes(model, shapeData)).empty())
    return fail(error);

  OwningOpRef<ModuleOp> module = ModuleOp::create(fileLoc);
  GraphImporter importer(*module, model,
                         std::min<int64_t>(*opset, kValidatedOpset),
                         displayName, options, shapeData, originals);
  if (failed(importer.importGraph()) || failed(verify(*module)))
    return {};
  return module;
}

OwningOpRef<ModuleOp>
mlir::octet::importOnnxFile(MLIRContext *context, StringRef path,
                            const OnnxImportOptions &options) {
  auto buffer = llvm::MemoryBuffer::getFile(path, /*IsText=*/false,
                                            /*RequiresNullTerminator=*/false);
  if (!buffer) {
    emitError(FileLineColLoc::get(context, path, 0, 0))
        << "cannot read the model: " << buffer.getError().message();
    return {};
  }
  StringRef ext = llvm::sys::path::extension(path);
  bool isText = ext == ".onnxtxt" || ext == ".txt";
  SmallString<256> dir(path);
  llvm::sys::fs::make_absolute(dir);
  llvm::sys::path::remove_filename(dir);
  return importOnnxBuffer(context, (*buffer)->getBuffer(), path, dir, isText,
                          options);
}
