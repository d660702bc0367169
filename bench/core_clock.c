/* core_clock.c - estimates the core clock (GHz) of the CPU it runs on from a
 * chain of dependent 64-bit adds (one cycle each on x86 cores), timed with
 * clock_gettime; prints the best of several trials. Only for x86-64 (other
 * targets print 0). Build: cc -O2 core_clock.c -o core_clock */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <time.h>

static double now(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

int main(void) {
#if defined(__x86_64__)
  /* Short trials, the best of many: one that the scheduler interrupts
   * reads low, and on a shared machine some will be. */
  const long iterations = 200000; /* x 100 adds = 2e7 cycles, ~5.5 ms */
  double best = 0;
  for (int trial = 0; trial < 40; ++trial) {
    unsigned long x = 0;
    double start = now();
    for (long i = 0; i < iterations; ++i) {
#define A10 "add $1, %0\n\t" "add $1, %0\n\t" "add $1, %0\n\t" "add $1, %0\n\t" \
            "add $1, %0\n\t" "add $1, %0\n\t" "add $1, %0\n\t" "add $1, %0\n\t" \
            "add $1, %0\n\t" "add $1, %0\n\t"
      __asm__ volatile(A10 A10 A10 A10 A10 A10 A10 A10 A10 A10 : "+r"(x));
    }
    double ghz = iterations * 100.0 / (now() - start) / 1e9;
    if (ghz > best)
      best = ghz;
  }
  printf("%.3f\n", best);
#else
  printf("0\n");
#endif
  return 0;
}
