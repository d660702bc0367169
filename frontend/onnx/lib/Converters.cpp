//===- Converters.cpp - The table of supported ONNX ops -------------------===//

#include "NodeImport.h"

using namespace mlir::octet::onnx_import;

const ConverterTable &mlir::octet::onnx_import::getConverters() {
  static const ConverterTable table = [] {
    ConverterTable t;
    addNNConverters(t);
    addMathConverters(t);
    addTensorConverters(t);
    addRnnConverters(t);
    addQuantConverters(t);
    return t;
  }();
  return table;
}
