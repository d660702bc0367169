// RUN: octet-opt %s --split-input-file --octet-insert-observers | FileCheck %s
// RUN: octet-opt %s --split-input-file --octet-insert-observers="observer=histogram bins=512 dtype=s8 skip=residual" | FileCheck %s --check-prefix=OPTS
// RUN: not octet-opt %s --octet-insert-observers="observer=median" 2>&1 | FileCheck %s --check-prefix=BAD

// Every float input and result of the ops int8 kernels compute is observed
// once, named after its ONNX node (or the model input); the weight, a
// constant, is not. A relu that is the add's only user is observed instead
// of the add, so the integer add applies it in its epilogue.
// Skipping "residual" keeps the add in float: neither it nor its relu is
// observed (its inputs still are, for the gemm that produces or reads them).
// CHECK-LABEL: func.func @net
// CHECK-SAME: (%[[X:.+]]: tensor<1x4xf32> {octet.name = "x"})
// CHECK: %[[OX:.+]] = octet.observe %[[X]] {name = "x"}
// CHECK: %[[G:.+]] = octet.gemm %[[OX]]
// CHECK: %[[OG:.+]] = octet.observe %[[G]] {name = "fc"}
// CHECK: %[[A:.+]] = octet.add %[[OG]], %[[OX]]
// CHECK: %[[R:.+]] = octet.relu %[[A]]
// CHECK: octet.observe %[[R]] {name = "act"}
// CHECK-NOT: octet.observe
// OPTS-LABEL: func.func @net
// OPTS: octet.observe %{{.+}} {bins = 512 : i64, dtype = #octet.dtype<s8>, kind = #octet.observer<histogram>, name = "x"}
// OPTS: name = "fc"
// OPTS-NOT: name = "act"
// BAD: unknown observer 'median'
func.func @net(%x: tensor<1x4xf32> {octet.name = "x"}) -> tensor<1x4xf32> {
  %w = octet.constant dense<1.0> : tensor<4x4xf32>
  %g = octet.gemm %x, %w : (tensor<1x4xf32>, tensor<4x4xf32>) -> tensor<1x4xf32> loc("fc")
  %a = octet.add %g, %x : (tensor<1x4xf32>, tensor<1x4xf32>) -> tensor<1x4xf32> loc("residual")
  %r = octet.relu %a : tensor<1x4xf32> loc("act")
  return %r : tensor<1x4xf32>
}

// -----

// Fused ops carry the name of the last node they absorbed; names stay
// unique.
// CHECK-LABEL: func.func @names
// CHECK: octet.observe %{{.+}} {name = "relu1"}
// CHECK: octet.observe %{{.+}} {name = "relu1.1"}
func.func @names(%x: tensor<1x1x2x2xf32>) -> (tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>) {
  %w = octet.constant dense<1.0> : tensor<1x1x1x1xf32>
  %c0 = octet.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32> loc(fused["conv1", "relu1"])
  %c1 = octet.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32> loc(fused["conv2", "relu1"])
  return %c0, %c1 : tensor<1x1x2x2xf32>, tensor<1x1x2x2xf32>
}

// -----

// Only an add hands its observer to the relu after it: an unfused conv
// (at -O0) is observed itself, so it still becomes an integer conv.
// CHECK-LABEL: func.func @unfused
// CHECK: %[[C:.+]] = octet.conv2d
// CHECK: octet.observe %[[C]] {name = "conv"}
// CHECK: octet.relu
func.func @unfused(%x: tensor<1x1x2x2xf32>) -> tensor<1x1x2x2xf32> {
  %w = octet.constant dense<1.0> : tensor<1x1x1x1xf32>
  %c = octet.conv2d %x, %w : (tensor<1x1x2x2xf32>, tensor<1x1x1x1xf32>) -> tensor<1x1x2x2xf32> loc("conv")
  %r = octet.relu %c : tensor<1x1x2x2xf32> loc("relu")
  return %r : tensor<1x1x2x2xf32>
}
