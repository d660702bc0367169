//===- QuantizationReport.h - What quantization cost, per layer -*- C++ -*-===//

#ifndef OCTET_TOOLS_QUANTIZATIONREPORT_H
#define OCTET_TOOLS_QUANTIZATIONREPORT_H

#include "octet/Codegen/Calibration.h"
#include "octet/Passes/CalibrationStats.h"

#include "mlir/Dialect/Quant/IR/QuantTypes.h"
#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"
#include "llvm/Support/raw_ostream.h"

#include <string>
#include <vector>

namespace mlir::octet::tools {

struct LayerReport {
  std::string name; // ONNX node
  std::string op;   // conv2d, gemm, ...
  double weightSqnr = 0.0;
  int64_t weightChannels = 0;
};

struct QuantizationReport {
  std::string method;
  // What octet-fold-calibration chose, per observer.
  llvm::StringMap<quant::UniformQuantizedType> chosen;
  // The error accumulated through the quantized model, per observer (only
  // with calibration data).
  llvm::StringMap<AccumulatedError> accumulated;
  std::vector<LayerReport> layers;
  CalibrationStats stats; // Activation ranges and noise, per observer.
  std::vector<std::string> integerLayers, floatLayers;
  int64_t weightBytesBefore = 0, weightBytesAfter = 0;
};

/// Bytes of all constants in `module` (weights).
int64_t constantBytes(ModuleOp module);

/// Weight SQNR of every conv2d/gemm/matmul whose input is observed, as
/// octet-fold-calibration will quantize it.
std::vector<LayerReport> measureWeights(ModuleOp module, bool perTensor);

/// Layers after quantization: integer ones, and compute ops left in float.
void listLayers(ModuleOp module, QuantizationReport &report);

/// Human-readable (worst SQNR first) or JSON.
void printReport(const QuantizationReport &report, bool json,
                 llvm::raw_ostream &os);

} // namespace mlir::octet::tools

#endif // OCTET_TOOLS_QUANTIZATIONREPORT_H
