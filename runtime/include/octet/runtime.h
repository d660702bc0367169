/* runtime.h - Octet's minimal C99 runtime: status codes, tensor descriptors
 * and helpers for calling compiled models. It knows nothing of the compiler;
 * generated headers and firmware include it, never the other way round.
 * No heap, no global mutable state. */
#ifndef OCTET_RUNTIME_H
#define OCTET_RUNTIME_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The same definitions as in every generated model header. */
#ifndef OCTET_TENSOR_DESC_DEFINED
#define OCTET_TENSOR_DESC_DEFINED
typedef enum octet_dtype {
  OCTET_DTYPE_F32 = 1, OCTET_DTYPE_F64 = 2, OCTET_DTYPE_F16 = 3,
  OCTET_DTYPE_BF16 = 4, OCTET_DTYPE_I8 = 5, OCTET_DTYPE_U8 = 6,
  OCTET_DTYPE_I16 = 7, OCTET_DTYPE_U16 = 8, OCTET_DTYPE_I32 = 9,
  OCTET_DTYPE_U32 = 10, OCTET_DTYPE_I64 = 11, OCTET_DTYPE_U64 = 12,
  OCTET_DTYPE_BOOL = 13
} octet_dtype;

typedef struct octet_tensor_desc {
  const char *name;
  octet_dtype dtype;
  int32_t rank;
  const int64_t *dims;
  int64_t num_elements;
  int32_t quantized;
  float scale;
  int32_t zero_point;
} octet_tensor_desc;
#endif

/* Status codes returned by NAME_run and the runtime. */
typedef enum octet_status {
  OCTET_STATUS_OK = 0,
  OCTET_STATUS_NULL_ARGUMENT = 1,
  OCTET_STATUS_MISALIGNED = 2,
  OCTET_STATUS_BAD_DTYPE = 3
} octet_status;

/* Bytes per element of `dtype`, or 0 for an unknown dtype. */
size_t octet_dtype_size(octet_dtype dtype);

/* Bytes of the tensor `desc` describes. */
size_t octet_tensor_bytes(const octet_tensor_desc *desc);

/* A short name such as "f32", for messages. */
const char *octet_dtype_name(octet_dtype dtype);

/* A human-readable message for a status code. */
const char *octet_status_message(int status);

#ifdef __cplusplus
}
#endif

#endif /* OCTET_RUNTIME_H */
