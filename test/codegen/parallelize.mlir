// RUN: octet-opt %s --pass-pipeline='builtin.module(func.func(octet-lower-to-linalg,canonicalize,octet-vectorize,canonicalize),one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,cse,buffer-results-to-out-params{hoist-static-allocs modify-public-functions},canonicalize,octet-plan-memory,octet-parallelize{threads=4 min-work=1000})' | FileCheck %s
// RUN: octet-opt %s --pass-pipeline='builtin.module(func.func(octet-lower-to-linalg,canonicalize,octet-vectorize,canonicalize),one-shot-bufferize{bufferize-function-boundaries function-boundary-type-conversion=identity-layout-map},canonicalize,octet-plan-memory,octet-parallelize{threads=4})' | FileCheck %s --check-prefix=SMALL

// The matmul's outer tile loop (4 column panels of 16) becomes a task run by
// the runtime on 4 threads: the buffers it touches go in a context array.
// CHECK-LABEL: func.func @main
// CHECK: %[[CTX:.+]] = memref.alloca() : memref<64xindex>
// CHECK: memref.extract_aligned_pointer_as_index
// CHECK: memref.store %{{.+}}, %[[CTX]]
// CHECK: %[[FN:.+]] = constant @main_task0_entry
// CHECK: %[[COUNT:.+]] = arith.constant 4 : i64
// CHECK: %[[THREADS:.+]] = arith.constant 4 : i32
// CHECK: call @octet_parallel_for(%[[COUNT]], %[[FN]], %[[CTX]], %[[THREADS]])
// CHECK: func.func private @main_task0(%[[BEGIN:.+]]: index, %[[END:.+]]: index,
// CHECK: scf.for
// CHECK: func.func private @main_task0_entry(memref<64xindex>, index, index) attributes {octet.task = @main_task0, octet.task_args = array<i64: 1, 1, 1>}
// CHECK: func.func private @octet_parallel_for(i64, (memref<64xindex>, index, index) -> (), memref<64xindex>, i32)

// Below min-work (2^20 multiply-adds by default) the loop stays serial.
// SMALL-NOT: octet_parallel_for
func.func @main(%a: tensor<16x64xf32>, %b: tensor<64x64xf32>) -> tensor<16x64xf32> {
  %y = octet.matmul %a, %b : (tensor<16x64xf32>, tensor<64x64xf32>) -> tensor<16x64xf32>
  return %y : tensor<16x64xf32>
}
