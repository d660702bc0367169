/* timer_rounds.c - keeps a compiled model loaded and times it on request, so
 * that a benchmark can interleave it with other engines round by round
 * (bench_int8.py). Commands on stdin, one per line:
 *   t N     run N times; print the N latencies in ms on one line
 *   w PATH  run once; write the outputs to PATH, back to back
 *   q       quit (so does end of input)
 * On start it prints "scratch BYTES" (the model's arena) and is ready.
 * Build: cc -O2 -DMODEL_HEADER='"m.h"' -DMODEL=m timer_rounds.c m.o
 * Run:   timer_rounds [inputs.bin]  (the inputs back to back; zeros without) */
#define _POSIX_C_SOURCE 199309L
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
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

static size_t bytes(const octet_tensor_desc *d) {
  size_t size = 4;
  switch (d->dtype) {
  case OCTET_DTYPE_F64:
  case OCTET_DTYPE_I64:
  case OCTET_DTYPE_U64:
    size = 8;
    break;
  case OCTET_DTYPE_F16:
  case OCTET_DTYPE_BF16:
  case OCTET_DTYPE_I16:
  case OCTET_DTYPE_U16:
    size = 2;
    break;
  case OCTET_DTYPE_I8:
  case OCTET_DTYPE_U8:
  case OCTET_DTYPE_BOOL:
    size = 1;
    break;
  default:
    break;
  }
  return (size_t)d->num_elements * size;
}

int main(int argc, char **argv) {
  enum { MAX_IO = 16 };
  const int ni = sizeof(SYM(_inputs)) / sizeof(SYM(_inputs)[0]);
  const int no = sizeof(SYM(_outputs)) / sizeof(SYM(_outputs)[0]);
  if (ni > MAX_IO || no > MAX_IO) {
    fprintf(stderr, "too many inputs or outputs\n");
    return 2;
  }
  const void *in[MAX_IO];
  void *out[MAX_IO];
  FILE *f = argc > 1 ? fopen(argv[1], "rb") : NULL;
  if (argc > 1 && !f) {
    fprintf(stderr, "cannot open %s\n", argv[1]);
    return 2;
  }
  for (int i = 0; i < ni; ++i) {
    void *p = calloc(bytes(&SYM(_inputs)[i]) + 64, 1);
    if (f && fread(p, 1, bytes(&SYM(_inputs)[i]), f) !=
                 bytes(&SYM(_inputs)[i])) {
      fprintf(stderr, "%s is too short\n", argv[1]);
      return 2;
    }
    in[i] = p;
  }
  if (f)
    fclose(f);
  for (int i = 0; i < no; ++i)
    out[i] = calloc(bytes(&SYM(_outputs)[i]) + 64, 1);
  size_t scratch_bytes = SYM(_scratch_bytes);
  void *scratch = aligned_alloc(64, (scratch_bytes + 127) / 64 * 64);
  printf("scratch %zu\n", scratch_bytes);
  fflush(stdout);

  char line[4096];
  double *t = NULL;
  long capacity = 0;
  while (fgets(line, sizeof line, stdin)) {
    if (line[0] == 't') {
      long n = atol(line + 1);
      if (n < 1)
        n = 1;
      if (n > capacity) {
        t = realloc(t, sizeof(double) * n);
        capacity = n;
      }
      for (long r = 0; r < n; ++r) {
        double s = now();
        int status = SYM(_run)(in, out, scratch);
        t[r] = now() - s;
        if (status != 0) {
          fprintf(stderr, "model returned %d\n", status);
          return 1;
        }
      }
      for (long r = 0; r < n; ++r)
        printf(r ? " %.6f" : "%.6f", t[r] * 1e3);
      printf("\n");
    } else if (line[0] == 'w') {
      char *path = line + 1;
      while (*path == ' ')
        ++path;
      path[strcspn(path, "\r\n")] = 0;
      SYM(_run)(in, out, scratch);
      FILE *o = fopen(path, "wb");
      if (!o) {
        fprintf(stderr, "cannot write %s\n", path);
        return 2;
      }
      for (int i = 0; i < no; ++i)
        fwrite(out[i], 1, bytes(&SYM(_outputs)[i]), o);
      fclose(o);
      printf("ok\n");
    } else if (line[0] == 'q') {
      break;
    }
    fflush(stdout);
  }
  return 0;
}
