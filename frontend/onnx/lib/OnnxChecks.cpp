//===- OnnxChecks.cpp - Exception boundary around ONNX's own tooling ------===//

#include "OnnxChecks.h"

#include <onnx/checker.h>
#include <onnx/defs/parser.h>
#include <onnx/shape_inference/implementation.h>
#include <onnx/version_converter/convert.h>

#include <exception>

using namespace octet;

std::string onnx_checks::parseText(const std::string &text,
                                   onnx::ModelProto &model) {
  try {
    onnx::OnnxParser parser(text.c_str());
    onnx::Common::Status status = parser.Parse(model);
    if (!status.IsOK())
      return "cannot parse ONNX text: " + status.ErrorMessage();
    return "";
  } catch (const std::exception &e) {
    return std::string("cannot parse ONNX text: ") + e.what();
  }
}

std::string onnx_checks::checkModel(const onnx::ModelProto &model) {
  try {
    onnx::checker::check_model(model);
    return "";
  } catch (const std::exception &e) {
    return std::string("ONNX checker: ") + e.what();
  }
}

std::string onnx_checks::inferShapes(
    onnx::ModelProto &model,
    std::unordered_map<std::string, onnx::TensorShapeProto> &shapeData) {
  try {
    onnx::ShapeInferenceOptions options(/*check_type_val=*/true,
                                        /*strict_mode_val=*/1,
                                        /*data_prop_val=*/true);
    onnx::shape_inference::InferShapes(
        model, onnx::OpSchemaRegistry::Instance(), options, &shapeData);
    return "";
  } catch (const std::exception &e) {
    return std::string("ONNX shape inference: ") + e.what();
  }
}

std::string onnx_checks::convertVersion(onnx::ModelProto &model, int opset) {
  try {
    model = onnx::version_conversion::ConvertVersion(model, opset);
    // The Reshape-5 adapter of ONNX 1.12 emits the old shape attribute as a
    // Constant tensor without dims; it is a vector.
    for (onnx::NodeProto &node : *model.mutable_graph()->mutable_node())
      for (onnx::AttributeProto &attr : *node.mutable_attribute())
        if (node.op_type() == "Constant" && attr.has_t() &&
            attr.t().dims_size() == 0 && attr.t().int64_data_size() > 1)
          attr.mutable_t()->add_dims(attr.t().int64_data_size());
    return "";
  } catch (const std::exception &e) {
    return "cannot upgrade to opset " + std::to_string(opset) +
           " with ONNX's version converter: " + e.what();
  }
}
