/* run_many.c - runs a compiled one-input, one-output float model on many
 * samples in one process (quant_accuracy.py: no recompile per sample).
 * Build: cc -std=c11 -O2 -DMODEL_HEADER='"m.h"' -DMODEL=m run_many.c m.o
 * Run:   run_many inputs.bin outputs.bin
 * inputs.bin holds N float32 samples of input 0 back to back (N is its size
 * over one sample's); outputs.bin gets the N float32 outputs back to back. */
#include <stdio.h>
#include <stdlib.h>

#include MODEL_HEADER

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define SYM(s) CAT(MODEL, s)

int main(int argc, char **argv) {
  const int num_inputs = (int)(sizeof(SYM(_inputs)) / sizeof(SYM(_inputs)[0]));
  const int num_outputs =
      (int)(sizeof(SYM(_outputs)) / sizeof(SYM(_outputs)[0]));
  if (argc != 3) {
    fprintf(stderr, "usage: %s inputs.bin outputs.bin\n", argv[0]);
    return 2;
  }
  if (num_inputs != 1 || num_outputs != 1 ||
      SYM(_inputs)[0].dtype != OCTET_DTYPE_F32 ||
      SYM(_outputs)[0].dtype != OCTET_DTYPE_F32) {
    fprintf(stderr, "run_many needs one float32 input and output\n");
    return 2;
  }
  const size_t in_count = (size_t)SYM(_inputs)[0].num_elements;
  const size_t out_count = (size_t)SYM(_outputs)[0].num_elements;

  FILE *in = fopen(argv[1], "rb");
  FILE *out = fopen(argv[2], "wb");
  if (!in || !out) {
    fprintf(stderr, "cannot open %s or %s\n", argv[1], argv[2]);
    return 2;
  }
  float *x = malloc(in_count * sizeof(float));
  float *y = malloc(out_count * sizeof(float));
  size_t scratch_bytes = SYM(_scratch_bytes);
  void *scratch =
      scratch_bytes ? aligned_alloc(64, (scratch_bytes + 63) / 64 * 64) : NULL;
  long samples = 0;
  for (;;) {
    size_t got = fread(x, sizeof(float), in_count, in);
    if (got == 0)
      break;
    if (got != in_count) {
      fprintf(stderr, "%s ends inside sample %ld\n", argv[1], samples);
      return 2;
    }
    const void *inputs[1] = {x};
    void *outputs[1] = {y};
    int status = SYM(_run)(inputs, outputs, scratch);
    if (status != 0) {
      fprintf(stderr, "model returned %d on sample %ld\n", status, samples);
      return 1;
    }
    if (fwrite(y, sizeof(float), out_count, out) != out_count) {
      fprintf(stderr, "cannot write %s\n", argv[2]);
      return 2;
    }
    ++samples;
  }
  fclose(in);
  if (fclose(out) != 0) {
    fprintf(stderr, "cannot write %s\n", argv[2]);
    return 2;
  }
  free(scratch);
  free(x);
  free(y);
  return 0;
}
