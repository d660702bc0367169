/* parallel.h - the parallel-for that code compiled with --threads=N calls.
 * Objects built with one thread (the default) never reference it. Its
 * threads are a pool started on the first call and kept waiting (spinning
 * briefly, then asleep) for the next; its state is static, nothing is
 * allocated on the heap. */
#ifndef OCTET_PARALLEL_H
#define OCTET_PARALLEL_H

#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Runs iterations [begin, end) of a task: `context` holds what it needs. */
typedef void (*octet_task_fn)(void *context, int64_t begin, int64_t end);

/* The most threads one call uses. */
#define OCTET_MAX_THREADS 64

/* Splits [0, count) into `threads` contiguous chunks of near-equal size and
 * runs `task(context, begin, end)` for each, the first on the calling
 * thread, the others on the pool's; returns when all are done. Calls from
 * several threads at once are safe: one uses the pool, the others start
 * threads of their own for the call. Where threads cannot be started,
 * fewer chunks cover [0, count). */
void octet_parallel_for(int64_t count, octet_task_fn task, void *context,
                        int32_t threads);

#ifdef __cplusplus
}
#endif

#endif /* OCTET_PARALLEL_H */
