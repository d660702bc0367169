//===- InputShapes.cpp - Static shapes for symbolic graph inputs ----------===//

#include "ModelPrep.h"

#include "llvm/ADT/StringExtras.h"
#include "llvm/ADT/StringSet.h"
#include "llvm/Support/MemoryBuffer.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::onnx_import;

std::string
mlir::octet::parseInputShapes(StringRef spec,
                              llvm::StringMap<SmallVector<int64_t>> &shapes) {
  SmallVector<StringRef> entries;
  spec.split(entries, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef entry : entries) {
    auto [name, dims] = entry.trim().rsplit('=');
    if (name.empty() || dims.empty())
      return "expected NAME=D1xD2x..., got '" + entry.str() + "'";
    SmallVector<int64_t> shape;
    SmallVector<StringRef> parts;
    dims.split(parts, 'x');
    for (StringRef part : parts) {
      int64_t d;
      if (part.getAsInteger(10, d) || d < 0)
        return "invalid dimension '" + part.str() + "' in '" + entry.str() +
               "'";
      shape.push_back(d);
    }
    shapes[name] = shape;
  }
  return "";
}

std::string
mlir::octet::parseFrozenInputs(StringRef spec,
                               llvm::StringMap<std::string> &inputs) {
  SmallVector<StringRef> entries;
  spec.split(entries, ',', /*MaxSplit=*/-1, /*KeepEmpty=*/false);
  for (StringRef entry : entries) {
    auto [name, file] = entry.trim().split('=');
    if (name.empty() || file.empty())
      return "expected NAME=FILE.pb, got '" + entry.str() + "'";
    inputs[name] = file.str();
  }
  return "";
}

std::string
onnx_import::freezeInputs(onnx::ModelProto &model,
                          const llvm::StringMap<std::string> &frozenInputs) {
  onnx::GraphProto *graph = model.mutable_graph();
  for (const auto &entry : frozenInputs) {
    StringRef name = entry.getKey();
    auto *inputs = graph->mutable_input();
    auto it = llvm::find_if(*inputs, [&](const onnx::ValueInfoProto &v) {
      return v.name() == name;
    });
    if (it == inputs->end())
      return "--freeze-input names '" + name.str() +
             "', which is not an input of the model";
    auto buffer = llvm::MemoryBuffer::getFile(entry.getValue());
    if (!buffer)
      return "--freeze-input " + name.str() + ": cannot read '" +
             entry.getValue() + "'";
    onnx::TensorProto tensor;
    StringRef bytes = (*buffer)->getBuffer();
    if (bytes.size() > (size_t)std::numeric_limits<int>::max() ||
        !tensor.ParseFromArray(bytes.data(), (int)bytes.size()))
      return "--freeze-input " + name.str() + ": '" + entry.getValue() +
             "' is not an ONNX TensorProto";
    if (tensor.data_location() == onnx::TensorProto::EXTERNAL)
      return "--freeze-input " + name.str() + ": external data is not allowed";
    tensor.set_name(name.str());
    *graph->add_initializer() = std::move(tensor);
    // Before IR version 4 every initializer must also be listed as an input.
    if (model.ir_version() >= 4)
      inputs->erase(it);
  }
  return "";
}

std::string
onnx_import::resolveInputShapes(onnx::ModelProto &model,
                                const OnnxImportOptions &options,
                                std::vector<std::string> &warnings) {
  llvm::StringSet<> initializers;
  for (const onnx::TensorProto &init : model.graph().initializer())
    initializers.insert(init.name());
  llvm::StringSet<> used;
  for (onnx::ValueInfoProto &input : *model.mutable_graph()->mutable_input()) {
    if (initializers.contains(input.name()) || !input.type().has_tensor_type())
      continue;
    onnx::TensorShapeProto *shape =
        input.mutable_type()->mutable_tensor_type()->mutable_shape();
    auto given = options.inputShapes.find(input.name());
    if (given != options.inputShapes.end()) {
      used.insert(input.name());
      const SmallVector<int64_t> &dims = given->second;
      if (input.type().tensor_type().has_shape() &&
          shape->dim_size() != (int)dims.size())
        return "--input-shape " + input.name() + " has rank " +
               std::to_string(dims.size()) +
               " but the model's input has rank " +
               std::to_string(shape->dim_size());
      for (int i = 0; i < shape->dim_size(); ++i)
        if (shape->dim(i).has_dim_value() &&
            shape->dim(i).dim_value() != dims[i])
          return "--input-shape " + input.name() + " dimension " +
                 std::to_string(i) + " is " + std::to_string(dims[i]) +
                 " but the model fixes it to " +
                 std::to_string(shape->dim(i).dim_value());
      shape->clear_dim();
      for (int64_t d : dims)
        shape->add_dim()->set_dim_value(d);
      continue;
    }
    // A symbolic leading dimension is almost always the batch: default 1.
    for (int i = 0; i < shape->dim_size(); ++i) {
      onnx::TensorShapeProto::Dimension *dim = shape->mutable_dim(i);
      if (dim->has_dim_value())
        continue;
      if (i != 0)
        break; // Left symbolic: the importer reports it with a hint.
      warnings.push_back("input '" + input.name() + "' dimension 0 ('" +
                         dim->dim_param() +
                         "') is symbolic; assuming 1 (set it with "
                         "--input-shape)");
      dim->set_dim_value(1);
    }
  }
  for (const auto &entry : options.inputShapes)
    if (!used.contains(entry.getKey()))
      return "--input-shape names '" + entry.getKey().str() +
             "', which is not an input of the model";
  return "";
}
