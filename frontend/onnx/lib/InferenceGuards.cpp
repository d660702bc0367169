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

std::string
onnx_import::checkShapeInferenceInputs(const onnx::ModelProto &model) {
  static const llvm::StringSet<> windowed = {
      "Conv",       "ConvInteger", "QLinearConv", "ConvTranspose",
      "MaxPool",    "AveragePool", "LpPool",      "MaxUnpool",
      "MaxRoiPool", "DeformConv"};
  // Ranks known before inference: graph inputs and initializers.
  llvm::StringMap<int> ranks;
  for (const onnx::ValueInfoProto &v : model.graph().input())
    if (v.type().tensor_type().has_shape())
      ranks[v.name()] = v.type().tensor_type().shape().dim_size();
  for (const onnx::TensorProto &t : model.graph().initializer())
    ranks[t.name()] = t.dims_size();
  for (const onnx::NodeProto &node : model.graph().node()) {
    if (!windowed.contains(node.op_type()))
      continue;
    // The conv/pool inference indexes the weight's shape by the input's
    // rank: they must agree, and be at least 3 (N, C, spatial...).
    bool isConv = node.op_type() != "MaxPool" &&
                  node.op_type() != "AveragePool" && node.op_type() != "LpPool";
    unsigned weightIndex = node.op_type() == "QLinearConv" ? 3 : 1;
    auto x = node.input_size() > 0 ? ranks.find(node.input(0)) : ranks.end();
    if (x != ranks.end() && x->second < 3)
      return "node '" + node.name() + "' (" + node.op_type() +
             "): the input must have rank 3 or more, got " +
             std::to_string(x->second);
    if (isConv && x != ranks.end() && node.input_size() > (int)weightIndex) {
      auto w = ranks.find(node.input(weightIndex));
      if (w != ranks.end() && w->second != x->second)
        return "node '" + node.name() + "' (" + node.op_type() +
               "): the input has rank " + std::to_string(x->second) +
               " but the weight rank " + std::to_string(w->second);
    }
    for (const onnx::AttributeProto &attr : node.attribute()) {
      StringRef name = attr.name();
      bool positive =
          name == "strides" || name == "dilations" || name == "kernel_shape";
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
