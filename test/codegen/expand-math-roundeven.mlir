// RUN: octet-opt %s --pass-pipeline="builtin.module(func.func(octet-expand-math))" | FileCheck %s
// RUN: octet-opt %s --pass-pipeline="builtin.module(func.func(octet-expand-math{keep-roundeven=1}))" | FileCheck %s --check-prefix=KEEP

// Quantization rounds with math.roundeven. By default it becomes integer
// arithmetic (no libm call on targets without a rounding instruction);
// with keep-roundeven (x86 SSE4.1, AArch64) LLVM gets it as it is.
// CHECK-LABEL: func.func @round
// CHECK-NOT: math.roundeven
// CHECK: arith.bitcast
// KEEP-LABEL: func.func @round
// KEEP: math.roundeven %{{.+}} : vector<8xf32>
func.func @round(%x: vector<8xf32>) -> vector<8xf32> {
  %r = math.roundeven %x : vector<8xf32>
  return %r : vector<8xf32>
}
