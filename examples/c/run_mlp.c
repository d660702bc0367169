/* run_mlp.c - links the MLP that octetc compiled (mlp.o + mlp.h) and runs
 * it: classifies a synthetic 28x28 "image", then times repeated runs.
 * Build: cc -O2 -I out run_mlp.c out/mlp.o -o run_mlp */
#define _POSIX_C_SOURCE 199309L
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "mlp.h"

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(void) {
  static float image[MLP_INPUT_0_ELEMENTS];
  static float probabilities[MLP_OUTPUT_0_ELEMENTS];
  /* A diagonal stroke on a 28x28 canvas. */
  for (int i = 0; i < 28; ++i)
    image[i * 28 + i] = 1.0f;

  /* The caller owns all memory: one scratch arena, 64-byte aligned. */
  void *scratch = aligned_alloc(64, (MLP_SCRATCH_BYTES + 63) / 64 * 64);
  if (mlp_run_typed(image, probabilities, scratch) != 0) {
    fprintf(stderr, "mlp_run failed\n");
    return 1;
  }
  int best = 0;
  for (int c = 0; c < MLP_OUTPUT_0_ELEMENTS; ++c) {
    printf("class %d: %.4f\n", c, probabilities[c]);
    if (probabilities[c] > probabilities[best])
      best = c;
  }
  printf("predicted class: %d\n", best);

  const int runs = 2000;
  double start = now_seconds();
  for (int r = 0; r < runs; ++r)
    mlp_run_typed(image, probabilities, scratch);
  double per_run = (now_seconds() - start) / runs;
  printf("latency: %.2f us per image (%d runs, 1 thread)\n", per_run * 1e6,
         runs);
  printf("weights: %d bytes, scratch arena: %d bytes, target: %s (%s)\n",
         (int)MLP_WEIGHT_BYTES, (int)MLP_SCRATCH_BYTES, MLP_TARGET, MLP_CPU);
  free(scratch);
  return 0;
}
