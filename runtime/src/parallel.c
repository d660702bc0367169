/* parallel.c - octet_parallel_for on a pool of POSIX threads.
 *
 * The workers are started on the first call that needs them and then wait
 * for work: a job is published by giving it a number and writing that
 * number into `assigned` for each worker it has a chunk for; worker i runs
 * chunk i and counts `pending` down; the caller runs chunk 0 and waits for
 * the count to reach 0. Both sides spin briefly before they sleep on a
 * condition variable, because a model calls this once per layer and
 * layers are often shorter than a wake-up through the kernel. One job at
 * a time: a caller that finds the pool busy (another thread running a
 * model) starts threads of its own for that call instead. All state is
 * static: nothing is allocated on the heap. */
#define _POSIX_C_SOURCE 200809L
#include "octet/parallel.h"

#include <pthread.h>
#include <stdatomic.h>

/* Polls before sleeping: about 0.1-1 ms, longer than the serial work
 * between two parallel layers of a typical model. */
#define SPIN_POLLS (1 << 15)

static void cpu_relax(void) {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause();
#elif defined(__aarch64__)
  __asm__ __volatile__("yield");
#endif
}

typedef struct job {
  octet_task_fn task;
  void *context;
  int64_t count;
  int32_t chunks;
} job;

static void run_chunk(const job *j, int32_t i) {
  int64_t begin = j->count * i / j->chunks;
  int64_t end = j->count * (i + 1) / j->chunks;
  if (begin < end)
    j->task(j->context, begin, end);
}

/* The pool. `busy` serializes jobs; `lock` guards the sleeps. */
static pthread_mutex_t busy = PTHREAD_MUTEX_INITIALIZER;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static pthread_cond_t work_posted = PTHREAD_COND_INITIALIZER;
static pthread_cond_t work_done = PTHREAD_COND_INITIALIZER;
static unsigned jobs;   /* posted so far; guarded by `busy` */
static int32_t workers; /* started; guarded by `busy` */
static job current;
/* Chunks of the current job not yet done. */
static atomic_int pending;
/* The number of the last job in which each worker has a chunk: a worker
 * wakes when its own entry changes, so one without a chunk stays asleep
 * and never reads `current`. */
static atomic_uint assigned[OCTET_MAX_THREADS];

/* A worker's chunk index and its `assigned` entry when it was started (it
 * may first look after its first job is posted). */
typedef struct worker_start {
  int32_t id;
  unsigned seen;
} worker_start;
static worker_start starts[OCTET_MAX_THREADS];

static void *worker(void *argument) {
  const worker_start *start = (const worker_start *)argument;
  int32_t id = start->id;
  unsigned seen = start->seen;
  for (;;) {
    unsigned mine;
    int polls = 0;
    while ((mine = atomic_load_explicit(&assigned[id],
                                        memory_order_acquire)) == seen) {
      if (++polls < SPIN_POLLS) {
        cpu_relax();
        continue;
      }
      pthread_mutex_lock(&lock);
      while ((mine = atomic_load_explicit(&assigned[id],
                                          memory_order_acquire)) == seen)
        pthread_cond_wait(&work_posted, &lock);
      pthread_mutex_unlock(&lock);
      break;
    }
    seen = mine;
    run_chunk(&current, id);
    if (atomic_fetch_sub_explicit(&pending, 1, memory_order_acq_rel) == 1) {
      pthread_mutex_lock(&lock);
      pthread_cond_signal(&work_done);
      pthread_mutex_unlock(&lock);
    }
  }
  return 0;
}

/* Starts workers up to `wanted` (with `busy` held); returns how many
 * there are. */
static int32_t start_workers(int32_t wanted) {
  while (workers < wanted) {
    pthread_t thread;
    pthread_attr_t attributes;
    int32_t id = workers + 1; /* chunk 0 is the caller's */
    starts[id].id = id;
    starts[id].seen = atomic_load_explicit(&assigned[id], memory_order_relaxed);
    if (pthread_attr_init(&attributes) != 0)
      break;
    pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
    int failed = pthread_create(&thread, &attributes, worker, &starts[id]);
    pthread_attr_destroy(&attributes);
    if (failed)
      break;
    ++workers;
  }
  return workers;
}

/* For a caller that found the pool busy: threads of this call only. */
typedef struct own_chunk {
  const job *j;
  int32_t index;
} own_chunk;

static void *run_own_chunk(void *argument) {
  const own_chunk *c = (const own_chunk *)argument;
  run_chunk(c->j, c->index);
  return 0;
}

static void run_on_own_threads(const job *j) {
  own_chunk chunks[OCTET_MAX_THREADS];
  pthread_t threads[OCTET_MAX_THREADS];
  int started[OCTET_MAX_THREADS];
  for (int32_t i = 1; i < j->chunks; ++i) {
    chunks[i].j = j;
    chunks[i].index = i;
    started[i] =
        pthread_create(&threads[i], 0, run_own_chunk, &chunks[i]) == 0;
  }
  run_chunk(j, 0);
  for (int32_t i = 1; i < j->chunks; ++i) {
    if (started[i])
      pthread_join(threads[i], 0);
    else
      run_chunk(j, i);
  }
}

void octet_parallel_for(int64_t count, octet_task_fn task, void *context,
                        int32_t threads) {
  job j = {task, context, count, threads};
  if (j.chunks > OCTET_MAX_THREADS)
    j.chunks = OCTET_MAX_THREADS;
  if (j.chunks > count)
    j.chunks = (int32_t)count;
  if (j.chunks <= 1) {
    if (count > 0)
      task(context, 0, count);
    return;
  }
  if (pthread_mutex_trylock(&busy) != 0) {
    run_on_own_threads(&j);
    return;
  }
  /* Where threads cannot be started, fewer chunks cover [0, count). */
  int32_t available = start_workers(j.chunks - 1) + 1;
  if (j.chunks > available)
    j.chunks = available;
  current = j;
  atomic_store_explicit(&pending, j.chunks - 1, memory_order_relaxed);
  ++jobs;
  for (int32_t i = 1; i < j.chunks; ++i)
    atomic_store_explicit(&assigned[i], jobs, memory_order_release);
  pthread_mutex_lock(&lock);
  pthread_cond_broadcast(&work_posted);
  pthread_mutex_unlock(&lock);
  run_chunk(&j, 0);
  int polls = 0;
  while (atomic_load_explicit(&pending, memory_order_acquire) != 0) {
    if (++polls < SPIN_POLLS) {
      cpu_relax();
      continue;
    }
    pthread_mutex_lock(&lock);
    while (atomic_load_explicit(&pending, memory_order_acquire) != 0)
      pthread_cond_wait(&work_done, &lock);
    pthread_mutex_unlock(&lock);
    break;
  }
  pthread_mutex_unlock(&busy);
}
