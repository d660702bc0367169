//===- Calibration.h - Running representative data through observers -*- C++ -*-===//

#ifndef OCTET_CODEGEN_CALIBRATION_H
#define OCTET_CODEGEN_CALIBRATION_H

#include "octet/Builder/Npy.h"
#include "octet/Passes/CalibrationStats.h"

#include <functional>

#include "mlir/IR/BuiltinOps.h"
#include "llvm/ADT/StringMap.h"

namespace mlir::octet {

/// Compiles a copy of `module` (with `octet.observe` ops) for this machine,
/// runs every sample of `dataPath` through it and returns what the
/// observers saw: the range of every observed value, and a histogram of
/// `bins` bins for histogram observers (a second pass over the data, once
/// the ranges are known). Memory does not grow with the number of samples.
///
/// `dataPath` is a folder of `.npy` files (or `.pb` ones, with
/// `readOther`), one sample each, shaped exactly like the model's input (for
/// several inputs, one subfolder per input name), or one `.npy` file
/// stacking samples along an extra leading axis. Samples are read one at a
/// time, once per pass.
/// A progress bar is drawn on a terminal.
///
/// With `measure`, a last pass quantizes each observed value the way
/// octet-fold-calibration will (range by `measure->method`) and records its
/// quantization noise (signalEnergy, noiseEnergy) for the report.
struct NoiseMeasurement {
  RangeMethod method = RangeMethod::MinMax;
  double percentile = 99.99;
};
/// Reads a sample file of another format than `.npy` (the tools read ONNX
/// TensorProto `.pb` files through it).
using SampleReader = std::function<llvm::Expected<NpyArray>(StringRef path)>;
FailureOr<CalibrationStats> calibrate(ModuleOp module, StringRef dataPath,
                                      const NoiseMeasurement *measure = nullptr,
                                      const SampleReader &readOther = nullptr);

/// Σx² and Σ(x − x̂)² of one observed value over the data: x from the float
/// model, x̂ from the quantized one.
struct AccumulatedError {
  double signalEnergy = 0.0, noiseEnergy = 0.0;
};

/// The error the quantized model accumulates up to each observed value:
/// runs `floatModule` and `quantizedModule` (each with `octet.observe` ops;
/// those with the same name compare) on every sample of `dataPath`.
FailureOr<llvm::StringMap<AccumulatedError>>
measureAccumulatedError(ModuleOp floatModule, ModuleOp quantizedModule,
                        StringRef dataPath,
                        const SampleReader &readOther = nullptr);

} // namespace mlir::octet

#endif // OCTET_CODEGEN_CALIBRATION_H
