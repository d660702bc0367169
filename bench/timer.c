/* timer.c - times a compiled model: median latency of repeated runs.
 * Build: cc -O2 -DMODEL_HEADER='"m.h"' -DMODEL=m timer.c m.o -o timer
 * Run:   timer RUNS  (inputs are zeros; the timing does not depend on them) */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include MODEL_HEADER

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define SYM(s) CAT(MODEL, s)

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static int compare(const void *a, const void *b) {
  double x = *(const double *)a, y = *(const double *)b;
  return (x > y) - (x < y);
}

int main(int argc, char **argv) {
  int runs = argc > 1 ? atoi(argv[1]) : 50;
  const int ni = sizeof(SYM(_inputs)) / sizeof(SYM(_inputs)[0]);
  const int no = sizeof(SYM(_outputs)) / sizeof(SYM(_outputs)[0]);
  const void *in[16];
  void *out[16];
  for (int i = 0; i < ni; ++i)
    in[i] = calloc(SYM(_inputs)[i].num_elements, 8);
  for (int i = 0; i < no; ++i)
    out[i] = calloc(SYM(_outputs)[i].num_elements, 8);
  void *scratch = aligned_alloc(64, (SYM(_scratch_bytes) + 127) / 64 * 64);
  double *t = malloc(sizeof(double) * runs);
  SYM(_run)(in, out, scratch); /* warm-up */
  for (int r = 0; r < runs; ++r) {
    double s = now();
    SYM(_run)(in, out, scratch);
    t[r] = now() - s;
  }
  qsort(t, runs, sizeof(double), compare);
  printf("%.6f %.6f %.6f\n", t[runs / 2] * 1e3, t[runs / 10] * 1e3,
         t[runs - 1 - runs / 10] * 1e3);
  return 0;
}
