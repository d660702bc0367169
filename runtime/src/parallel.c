/* parallel.c - octet_parallel_for over POSIX threads. */
#define _POSIX_C_SOURCE 200809L
#include "octet/parallel.h"

#include <pthread.h>

typedef struct chunk {
  octet_task_fn task;
  void *context;
  int64_t begin, end;
} chunk;

static void *run_chunk(void *argument) {
  const chunk *c = (const chunk *)argument;
  c->task(c->context, c->begin, c->end);
  return 0;
}

void octet_parallel_for(int64_t count, octet_task_fn task, void *context,
                        int32_t threads) {
  chunk chunks[OCTET_MAX_THREADS];
  pthread_t ids[OCTET_MAX_THREADS];
  int started[OCTET_MAX_THREADS];
  int32_t n = threads;
  if (n > OCTET_MAX_THREADS)
    n = OCTET_MAX_THREADS;
  if (n > count)
    n = (int32_t)count;
  if (n <= 1) {
    if (count > 0)
      task(context, 0, count);
    return;
  }
  for (int32_t i = 0; i < n; ++i) {
    chunks[i].task = task;
    chunks[i].context = context;
    chunks[i].begin = count * i / n;
    chunks[i].end = count * (i + 1) / n;
  }
  for (int32_t i = 1; i < n; ++i)
    started[i] = pthread_create(&ids[i], 0, run_chunk, &chunks[i]) == 0;
  run_chunk(&chunks[0]);
  for (int32_t i = 1; i < n; ++i) {
    if (started[i])
      pthread_join(ids[i], 0);
    else
      run_chunk(&chunks[i]);
  }
}
