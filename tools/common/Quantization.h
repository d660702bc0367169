//===- Quantization.h - The tools' post-training quantization flags -*- C++ -*-===//
//
// octetc and octet-run take the same flags (--quantize, --calibration-data,
// --save-stats, --load-stats, ...) and run the same steps: observers,
// calibration (or loaded statistics), calibration folding.
//
//===----------------------------------------------------------------------===//

#ifndef OCTET_TOOLS_QUANTIZATION_H
#define OCTET_TOOLS_QUANTIZATION_H

#include "mlir/IR/BuiltinOps.h"

namespace mlir::octet::tools {

/// Quantizes the (optimized) model in `module` as the command line asks;
/// nothing without --quantize.
LogicalResult quantizeModel(ModuleOp module);

/// --int8-kernels=reference: only the portable reference integer kernels.
bool useReferenceInt8Kernels();
/// --x86-int8-k-block: k-quads per K block of the x86 int8 GEMMs (0: none).
int64_t int8KBlock();

/// With --calibrate, quantizeModel only writes the calibration statistics;
/// the tool then stops.
bool isCalibrateOnly();

/// The graph passes quantizeModel runs, as pipeline text (for
/// --print-pipeline); empty without --quantize.
std::string getQuantizePipeline(llvm::StringRef statsFile);

/// The statistics file a replay of the pipeline reads: --load-stats, else
/// --save-stats, else "stats.json".
std::string getStatsFileName();

} // namespace mlir::octet::tools

#endif // OCTET_TOOLS_QUANTIZATION_H
