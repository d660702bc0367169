//===- ExternalData.cpp - Loads external tensor data, inside the model dir ===//
//
// An external location is untrusted input: it must be a relative path with
// no `..`, and after resolving symlinks it must still lie inside the model's
// directory. Offsets and lengths are checked against the file size before
// anything is read.
//
//===----------------------------------------------------------------------===//

#include "ModelPrep.h"

#include "llvm/ADT/SmallString.h"
#include "llvm/Support/FileSystem.h"
#include "llvm/Support/MemoryBuffer.h"
#include "llvm/Support/Path.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::onnx_import;
namespace fs = llvm::sys::fs;
namespace path = llvm::sys::path;

namespace {
std::string loadOne(onnx::TensorProto &tensor, StringRef modelDir,
                    StringRef realModelDir, int64_t maxElements) {
  std::string what = "external data of '" + tensor.name() + "'";
  if (modelDir.empty())
    return what + ": external data needs a model file on disk";
  std::string location;
  int64_t offset = 0, length = -1;
  for (const onnx::StringStringEntryProto &entry : tensor.external_data()) {
    StringRef key = entry.key(), value = entry.value();
    if (key == "location") {
      location = value.str();
    } else if (key == "offset" || key == "length") {
      int64_t parsed;
      if (value.getAsInteger(10, parsed) || parsed < 0)
        return what + ": invalid " + key.str() + " '" + value.str() + "'";
      (key == "offset" ? offset : length) = parsed;
    }
  }
  if (location.empty())
    return what + ": no location";
  if (path::is_absolute(location) || path::has_root_name(location))
    return what + ": location '" + location +
           "' is absolute; it must be relative to the model's directory";
  for (StringRef part :
       llvm::make_range(path::begin(location), path::end(location)))
    if (part == "..")
      return what + ": location '" + location +
             "' escapes the model's directory";
  SmallString<256> file(modelDir);
  path::append(file, location);
  SmallString<256> realFile;
  if (fs::real_path(file, realFile))
    return what + ": cannot open '" + file.str().str() + "'";
  SmallString<256> prefix(realModelDir);
  path::append(prefix, "");
  if (!StringRef(realFile).starts_with(prefix))
    return what + ": location '" + location +
           "' resolves outside the model's directory (symlink?)";
  if (!fs::is_regular_file(realFile))
    return what + ": '" + location + "' is not a regular file";

  uint64_t size;
  if (fs::file_size(realFile, size))
    return what + ": cannot read the size of '" + location + "'";
  if ((uint64_t)offset > size)
    return what + ": offset " + std::to_string(offset) +
           " is past the end of '" + location + "' (" + std::to_string(size) +
           " bytes)";
  if (length < 0)
    length = size - offset;
  if ((uint64_t)length > size - offset)
    return what + ": offset + length exceeds the size of '" + location + "' (" +
           std::to_string(size) + " bytes)";
  // Sixteen bytes per element bounds every supported element type.
  if (length / 16 > maxElements)
    return what + ": more bytes than the element limit allows";
  auto buffer = llvm::MemoryBuffer::getFileSlice(realFile, length, offset);
  if (!buffer)
    return what + ": cannot read '" + location + "'";
  tensor.set_raw_data((*buffer)->getBufferStart(), (*buffer)->getBufferSize());
  tensor.clear_external_data();
  tensor.set_data_location(onnx::TensorProto::DEFAULT);
  return "";
}
} // namespace

std::string onnx_import::loadExternalData(onnx::ModelProto &model,
                                          StringRef modelDir,
                                          int64_t maxElements) {
  SmallString<256> realModelDir;
  if (!modelDir.empty() && fs::real_path(modelDir, realModelDir))
    return "cannot resolve the model directory '" + modelDir.str() + "'";
  auto load = [&](onnx::TensorProto &tensor) -> std::string {
    if (tensor.data_location() != onnx::TensorProto::EXTERNAL)
      return "";
    return loadOne(tensor, modelDir, realModelDir, maxElements);
  };
  onnx::GraphProto *graph = model.mutable_graph();
  for (onnx::TensorProto &init : *graph->mutable_initializer())
    if (std::string error = load(init); !error.empty())
      return error;
  for (onnx::NodeProto &node : *graph->mutable_node())
    for (onnx::AttributeProto &attr : *node.mutable_attribute())
      if (attr.has_t())
        if (std::string error = load(*attr.mutable_t()); !error.empty())
          return error;
  return "";
}
