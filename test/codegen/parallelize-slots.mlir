// RUN: octet-opt %s --octet-parallelize="threads=2" | FileCheck %s

// A loop that captures a vector (as loop-invariant code motion leaves one
// outside a kernel's tile loop) still runs on threads: the vector goes
// through a stack slot, stored before the loop and loaded in the task. The
// slot and the context are allocated in the entry block, so a parallel loop
// nested in another does not grow the stack each outer iteration.
// CHECK-LABEL: func.func @nested
// CHECK-DAG: %[[CTX:.+]] = memref.alloca() : memref<64xindex>
// CHECK-DAG: %[[SLOT:.+]] = memref.alloca() : memref<1xvector<8xi32>>
// CHECK: scf.for
// CHECK: memref.store %{{.+}}, %[[SLOT]]
// CHECK: memref.store %{{.+}}, %[[CTX]]
// CHECK: call @octet_parallel_for
// CHECK: func.func private @nested_task0
// CHECK: memref.load %{{.+}} : memref<1xvector<8xi32>>
// CHECK: vector.transfer_write
func.func @nested(%buf: memref<4x8x8xi32>, %v: vector<8xi32>) {
  %c0 = arith.constant 0 : index
  %c1 = arith.constant 1 : index
  %c4 = arith.constant 4 : index
  %c8 = arith.constant 8 : index
  scf.for %g = %c0 to %c4 step %c1 {
    %w = arith.addi %v, %v : vector<8xi32>
    scf.for %i = %c0 to %c8 step %c1 {
      vector.transfer_write %w, %buf[%g, %i, %c0] {in_bounds = [true]} : vector<8xi32>, memref<4x8x8xi32>
    } {octet.parallel = 2000000 : i64}
  }
  return
}
