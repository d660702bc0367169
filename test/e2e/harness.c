/* harness.c - runs any compiled Octet model from raw tensor files.
 *
 * Build: cc -DMODEL_HEADER='"out/model.h"' -DMODEL=model harness.c out/model.o
 * Run:   harness in0.bin ... out0.bin ...
 * Each file holds one tensor's bytes, row-major, as the model header's
 * descriptor table describes. The harness uses only the header's table, so
 * it works for every model. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include MODEL_HEADER

#define CAT2(a, b) a##b
#define CAT(a, b) CAT2(a, b)
#define SYM(suffix) CAT(MODEL, suffix)

static size_t dtype_size(octet_dtype dtype) {
  switch (dtype) {
  case OCTET_DTYPE_F64: case OCTET_DTYPE_I64: case OCTET_DTYPE_U64:
    return 8;
  case OCTET_DTYPE_F32: case OCTET_DTYPE_I32: case OCTET_DTYPE_U32:
    return 4;
  case OCTET_DTYPE_F16: case OCTET_DTYPE_BF16: case OCTET_DTYPE_I16:
  case OCTET_DTYPE_U16:
    return 2;
  default:
    return 1;
  }
}

int main(int argc, char **argv) {
  const int num_inputs = (int)(sizeof(SYM(_inputs)) / sizeof(SYM(_inputs)[0]));
  const int num_outputs = (int)(sizeof(SYM(_outputs)) / sizeof(SYM(_outputs)[0]));
  if (argc != 1 + num_inputs + num_outputs) {
    fprintf(stderr, "usage: %s <%d input files> <%d output files>\n", argv[0],
            num_inputs, num_outputs);
    return 2;
  }
  const void *inputs[16];
  void *outputs[16];
  for (int i = 0; i < num_inputs; ++i) {
    size_t bytes = (size_t)SYM(_inputs)[i].num_elements *
                   dtype_size(SYM(_inputs)[i].dtype);
    void *data = malloc(bytes ? bytes : 1);
    FILE *f = fopen(argv[1 + i], "rb");
    if (!f || fread(data, 1, bytes, f) != bytes) {
      fprintf(stderr, "cannot read %zu bytes of input '%s' from %s\n", bytes,
              SYM(_inputs)[i].name, argv[1 + i]);
      return 2;
    }
    fclose(f);
    inputs[i] = data;
  }
  for (int i = 0; i < num_outputs; ++i) {
    size_t bytes = (size_t)SYM(_outputs)[i].num_elements *
                   dtype_size(SYM(_outputs)[i].dtype);
    outputs[i] = calloc(bytes ? bytes : 1, 1);
  }
  size_t scratch_bytes = SYM(_scratch_bytes);
  void *scratch = scratch_bytes ? aligned_alloc(64, (scratch_bytes + 63) / 64 * 64) : NULL;
  int status = SYM(_run)(inputs, outputs, scratch);
  if (status != 0) {
    fprintf(stderr, "model returned %d\n", status);
    return 1;
  }
  for (int i = 0; i < num_outputs; ++i) {
    size_t bytes = (size_t)SYM(_outputs)[i].num_elements *
                   dtype_size(SYM(_outputs)[i].dtype);
    FILE *f = fopen(argv[1 + num_inputs + i], "wb");
    if (!f || fwrite(outputs[i], 1, bytes, f) != bytes) {
      fprintf(stderr, "cannot write output %d\n", i);
      return 2;
    }
    fclose(f);
  }
  return 0;
}
