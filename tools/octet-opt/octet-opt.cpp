//===- octet-opt.cpp - Runs Octet and upstream passes on MLIR files -------===//
//
// The opt-style driver: every Octet pass and the upstream passes people
// expect in a pipeline, over the octet, func, arith and quant dialects.
//
//===----------------------------------------------------------------------===//

#include "octet/IR/OctetDialect.h"

#include "mlir/Dialect/Arith/IR/Arith.h"
#include "mlir/Dialect/Func/IR/FuncOps.h"
#include "mlir/Dialect/Quant/IR/Quant.h"
#include "mlir/Dialect/Tensor/IR/Tensor.h"
#include "mlir/IR/DialectRegistry.h"
#include "mlir/Tools/mlir-opt/MlirOptMain.h"
#include "mlir/Transforms/Passes.h"

int main(int argc, char **argv) {
  mlir::DialectRegistry registry;
  registry.insert<mlir::octet::OctetDialect, mlir::func::FuncDialect,
                  mlir::arith::ArithDialect, mlir::quant::QuantDialect,
                  mlir::tensor::TensorDialect>();

  // A curated set of upstream passes rather than all of them: the tool stays
  // small and its --help readable.
  mlir::registerCanonicalizerPass();
  mlir::registerCSEPass();
  mlir::registerInlinerPass();
  mlir::registerSymbolDCEPass();
  mlir::registerViewOpGraphPass();
  mlir::registerPrintOpStatsPass();
  mlir::registerSCCPPass();

  return mlir::asMainReturnCode(
      mlir::MlirOptMain(argc, argv, "Octet optimizer driver\n", registry));
}
