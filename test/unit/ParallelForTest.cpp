//===- ParallelForTest.cpp - The runtime's thread pool --------------------===//
//
// octet_parallel_for runs every index exactly once, in contiguous chunks of
// near-equal size, for any thread count, many calls in a row (the pool's
// workers are reused) and from several threads at once.
//
//===----------------------------------------------------------------------===//

#include "octet/parallel.h"

#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

namespace {
struct Visits {
  std::vector<std::atomic<int>> counts;
  std::atomic<int> calls{0};
  explicit Visits(int64_t n) : counts(n) {}
};

void visit(void *context, int64_t begin, int64_t end) {
  auto *visits = static_cast<Visits *>(context);
  visits->calls.fetch_add(1);
  for (int64_t i = begin; i < end; ++i)
    visits->counts[i].fetch_add(1);
}

/// Runs [0, count) on `threads` threads `repeats` times; whether every
/// index ran once per call, in at most `threads` chunks.
bool runsEachIndexOnce(int64_t count, int32_t threads, int repeats) {
  Visits visits(count);
  for (int r = 0; r < repeats; ++r)
    octet_parallel_for(count, visit, &visits, threads);
  for (auto &c : visits.counts)
    if (c.load() != repeats)
      return false;
  int64_t most = std::min<int64_t>(count, std::max(threads, 1));
  return visits.calls.load() <= most * repeats;
}

TEST(ParallelForTest, EveryIndexOnce) {
  for (int32_t threads : {0, 1, 2, 3, 5})
    for (int64_t count : {0, 1, 2, 3, 7, 100, 1001})
      EXPECT_TRUE(runsEachIndexOnce(count, threads, 50))
          << count << " iterations on " << threads << " threads";
  // More threads than OCTET_MAX_THREADS: at most that many chunks.
  EXPECT_TRUE(runsEachIndexOnce(1000, 100, 2));
}

TEST(ParallelForTest, NearEqualChunks) {
  struct Chunks {
    std::atomic<int64_t> smallest{INT64_MAX}, largest{0};
  } chunks;
  auto record = [](void *context, int64_t begin, int64_t end) {
    auto *c = static_cast<Chunks *>(context);
    int64_t size = end - begin;
    for (int64_t s = c->smallest.load(); size < s;)
      c->smallest.compare_exchange_weak(s, size);
    for (int64_t s = c->largest.load(); size > s;)
      c->largest.compare_exchange_weak(s, size);
  };
  octet_parallel_for(10, record, &chunks, 3);
  EXPECT_EQ(chunks.smallest.load(), 3);
  EXPECT_EQ(chunks.largest.load(), 4);
}

TEST(ParallelForTest, CallersAtOnce) {
  // One caller gets the pool, the other starts its own threads; both
  // complete every call.
  std::vector<bool> ok(3, false);
  std::vector<std::thread> callers;
  for (int t = 0; t < 3; ++t)
    callers.emplace_back(
        [&, t] { ok[t] = runsEachIndexOnce(97 + t, 2 + t, 300); });
  for (auto &c : callers)
    c.join();
  for (int t = 0; t < 3; ++t)
    EXPECT_TRUE(ok[t]) << "caller " << t;
}
} // namespace
