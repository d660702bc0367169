//===- ModelLoading.cpp - Reading a model the same way in every tool ------===//

#include "ModelLoading.h"
#include "octet/Onnx/OnnxImporter.h"

#include "mlir/Parser/Parser.h"
#include "llvm/Support/CommandLine.h"
#include "llvm/Support/Path.h"
#include "llvm/Support/WithColor.h"

using namespace llvm;
using namespace mlir;

namespace {
cl::OptionCategory importCategory("ONNX import options");

cl::list<std::string>
    inputShapes("input-shape",
                cl::desc("Static shape of a model input: NAME=1x3x224x224 "
                         "(repeatable, or comma-separated)"),
                cl::value_desc("name=shape"), cl::cat(importCategory));
cl::list<std::string> frozenInputs(
    "freeze-input",
    cl::desc("Fix a model input to the value in an ONNX TensorProto file: "
             "NAME=value.pb (repeatable)"),
    cl::value_desc("name=file"), cl::cat(importCategory));
cl::opt<int64_t> maxElements(
    "max-elements",
    cl::desc("Refuse tensors with more elements than this (default 2^31)"),
    cl::init(int64_t(1) << 31), cl::cat(importCategory));
} // namespace

bool octet::tools::isOnnxPath(StringRef path) {
  StringRef ext = sys::path::extension(path);
  return ext == ".onnx" || ext == ".onnxtxt";
}

OwningOpRef<ModuleOp> octet::tools::loadModel(MLIRContext &context,
                                              StringRef path, StringRef tool) {
  // Anything but MLIR goes to the importer, whose errors say what is wrong
  // with a file that is not a model.
  if (sys::path::extension(path) == ".mlir")
    return parseSourceFile<ModuleOp>(path, &context);
  octet::OnnxImportOptions options;
  options.maxElements = maxElements;
  auto fail = [&](const Twine &message) {
    WithColor::error(errs(), tool) << message << "\n";
    return OwningOpRef<ModuleOp>();
  };
  for (const std::string &spec : inputShapes)
    if (std::string e = octet::parseInputShapes(spec, options.inputShapes);
        !e.empty())
      return fail("--input-shape: " + e);
  for (const std::string &spec : frozenInputs)
    if (std::string e = octet::parseFrozenInputs(spec, options.frozenInputs);
        !e.empty())
      return fail("--freeze-input: " + e);
  return octet::importOnnxFile(&context, path, options);
}
