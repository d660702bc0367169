//===- Calibration.h - Running representative data through observers -*- C++ -*-===//

#ifndef OCTET_CODEGEN_CALIBRATION_H
#define OCTET_CODEGEN_CALIBRATION_H

#include "octet/Passes/CalibrationStats.h"

#include "mlir/IR/BuiltinOps.h"

namespace mlir::octet {

/// Compiles a copy of `module` (with `octet.observe` ops) for this machine,
/// runs every sample of `dataPath` through it and returns what the
/// observers saw: the range of every observed value, and a histogram of
/// `bins` bins for histogram observers (a second pass over the data, once
/// the ranges are known). Memory does not grow with the number of samples.
///
/// `dataPath` is a folder of `.npy` files, one sample each, shaped exactly
/// like the model's input (for several inputs, one subfolder per input
/// name), or one `.npy` file stacking samples along an extra leading axis.
/// A progress bar is drawn on a terminal.
FailureOr<CalibrationStats> calibrate(ModuleOp module, StringRef dataPath);

} // namespace mlir::octet

#endif // OCTET_CODEGEN_CALIBRATION_H
