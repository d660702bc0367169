/* classify_digits.c - links the digits CNN that octetc compiled
 * (digits.o + digits.h) and classifies the held-out 8x8 digits. It works
 * with float inputs and outputs and with 8-bit ones (octetc --quantized-io):
 * the header's descriptors say which, with the scale and zero point.
 * Build: cc -O2 -I OUT classify_digits.c OUT/digits.o -o classify_digits
 * Run:   classify_digits heldout.bin heldout_labels.bin */
#define _POSIX_C_SOURCE 199309L
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>

#include "digits.h"

#define PIXELS DIGITS_INPUT_0_ELEMENTS
#define CLASSES DIGITS_OUTPUT_0_ELEMENTS

static double now_seconds(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec + ts.tv_nsec * 1e-9;
}

static void *read_file(const char *path, long *size) {
  FILE *f = fopen(path, "rb");
  if (!f)
    return NULL;
  fseek(f, 0, SEEK_END);
  *size = ftell(f);
  fseek(f, 0, SEEK_SET);
  void *data = malloc(*size ? *size : 1);
  if (fread(data, 1, *size, f) != (size_t)*size) {
    fclose(f);
    free(data);
    return NULL;
  }
  fclose(f);
  return data;
}

int main(int argc, char **argv) {
  if (argc != 3) {
    fprintf(stderr, "usage: %s heldout.bin heldout_labels.bin\n", argv[0]);
    return 2;
  }
  long image_bytes, label_bytes;
  float *images = read_file(argv[1], &image_bytes);
  uint8_t *labels = read_file(argv[2], &label_bytes);
  long count = label_bytes;
  if (!images || !labels || image_bytes != count * PIXELS * (long)sizeof(float)) {
    fprintf(stderr, "cannot read the held-out digits\n");
    return 2;
  }

  /* The caller owns all memory: one 64-byte-aligned scratch arena. */
  void *scratch = aligned_alloc(64, (DIGITS_SCRATCH_BYTES + 63) / 64 * 64 + 64);
  const octet_tensor_desc *in = &digits_inputs[0], *out = &digits_outputs[0];
  uint8_t image_q[PIXELS], logits_q[CLASSES];
  float logits[CLASSES];
  long correct = 0;
  double start = now_seconds();
  for (long i = 0; i < count; ++i) {
    const float *image = images + i * PIXELS;
    const void *inputs[1] = {image};
    void *outputs[1] = {logits};
    if (in->quantized) { /* q = saturate(round_half_even(x / s) + z) */
      for (int p = 0; p < PIXELS; ++p) {
        float q = nearbyintf(image[p] / in->scale) + in->zero_point;
        image_q[p] = q < 0 ? 0 : q > 255 ? 255 : (uint8_t)q;
      }
      inputs[0] = image_q;
    }
    if (out->quantized)
      outputs[0] = logits_q;
    if (digits_run(inputs, outputs, scratch) != 0) {
      fprintf(stderr, "digits_run failed\n");
      return 1;
    }
    if (out->quantized) /* x = s * (q - z) */
      for (int c = 0; c < CLASSES; ++c)
        logits[c] = (float)(logits_q[c] - out->zero_point) * out->scale;
    int best = 0;
    for (int c = 1; c < CLASSES; ++c)
      if (logits[c] > logits[best])
        best = c;
    correct += best == labels[i];
  }
  double seconds = now_seconds() - start;
  printf("accuracy: %.2f%% (%ld of %ld held-out digits)\n",
         100.0 * correct / count, correct, count);
  printf("latency: %.2f us per image (1 thread, batch 1%s)\n",
         seconds / count * 1e6,
         in->quantized ? ", including quantizing the input" : "");
  printf("weights: %d bytes, scratch arena: %d bytes, target: %s (%s)\n",
         (int)DIGITS_WEIGHT_BYTES, (int)DIGITS_SCRATCH_BYTES, DIGITS_TARGET,
         DIGITS_CPU);
  free(scratch);
  free(images);
  free(labels);
  return 0;
}
