/* runtime.c - helpers of Octet's C runtime (see octet/runtime.h). */
#include "octet/runtime.h"

size_t octet_dtype_size(octet_dtype dtype) {
  switch (dtype) {
  case OCTET_DTYPE_F64:
  case OCTET_DTYPE_I64:
  case OCTET_DTYPE_U64:
    return 8;
  case OCTET_DTYPE_F32:
  case OCTET_DTYPE_I32:
  case OCTET_DTYPE_U32:
    return 4;
  case OCTET_DTYPE_F16:
  case OCTET_DTYPE_BF16:
  case OCTET_DTYPE_I16:
  case OCTET_DTYPE_U16:
    return 2;
  case OCTET_DTYPE_I8:
  case OCTET_DTYPE_U8:
  case OCTET_DTYPE_BOOL:
    return 1;
  }
  return 0;
}

size_t octet_tensor_bytes(const octet_tensor_desc *desc) {
  if (!desc || desc->num_elements < 0)
    return 0;
  return (size_t)desc->num_elements * octet_dtype_size(desc->dtype);
}

const char *octet_dtype_name(octet_dtype dtype) {
  static const char *const names[] = {"?",   "f32", "f64", "f16", "bf16",
                                      "i8",  "u8",  "i16", "u16", "i32",
                                      "u32", "i64", "u64", "bool"};
  unsigned index = (unsigned)dtype;
  return index < sizeof(names) / sizeof(names[0]) ? names[index] : "?";
}

const char *octet_status_message(int status) {
  switch (status) {
  case OCTET_STATUS_OK:
    return "ok";
  case OCTET_STATUS_NULL_ARGUMENT:
    return "a required pointer argument is NULL";
  case OCTET_STATUS_MISALIGNED:
    return "the scratch buffer is not 64-byte aligned";
  case OCTET_STATUS_BAD_DTYPE:
    return "unsupported element type";
  }
  return "unknown status";
}
