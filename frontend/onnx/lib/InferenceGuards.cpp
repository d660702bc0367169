//===- InferenceGuards.cpp - Inputs ONNX's shape inference cannot take ----===//
//
// ONNX 1.12's shape inference trusts some attributes that its checker does
// not validate: a zero stride or dilation divides by zero in the conv/pool
// inference, for example. These checks run first so that such models are
// refused with a message instead of crashing inside libonnx. The importer
// fuzzer found each of them.
//
//===----------------------------------------------------------------------===//

#include "ModelPrep.h"

#include "llvm/ADT/StringSet.h"

using namespace mlir;
using namespace mlir::octet;
using namespace mlir::octet::onnx_import;

std::string onnx_import::checkShapeInferenceInputs(const onnx::ModelProto &model) {
  static const llvm::StringSet<> windowed = {
      "Conv",        "ConvInteger", "QLinearConv",  "ConvTranspose",
      "MaxPool",     "AveragePool", "LpPool",       "MaxUnpool",
      "MaxRoiPool",  "DeformConv"};
  for (const onnx::NodeProto &node : model.graph().node()) {
    if (!windowed.contains(node.op_type()))
      continue;
    for (const onnx::AttributeProto &attr : node.attribute()) {
      StringRef name = attr.name();
      bool positive = name == "strides" || name == "dilations" ||
                      name == "kernel_shape";
      bool nonNegative = name == "pads" || name == "output_padding";
      for (int64_t v : attr.ints())
        if ((positive && v < 1) || (nonNegative && v < 0))
          return "node '" + node.name() + "' (" + node.op_type() +
                 "): attribute '" + name.str() + "' has invalid value " +
                 std::to_string(v);
      if (name == "group" && attr.i() < 1)
        return "node '" + node.name() + "' (" + node.op_type() +
               "): attribute 'group' must be positive";
    }
  }
  return "";
}
