// parallel.h - splitting large contiguous inputs over two threads.
//
// Correct rounding makes every result independent of how the work is split, so threads cost no
// reproducibility. Inputs below kParallelAbove elements stay on the calling thread, where a
// thread start (tens of microseconds) would cost more than it saves. REGPEN_THREADS=1 in the
// environment at start-up keeps every call on the calling thread (for callers that run their own
// thread pools, and for single-thread measurements).
#ifndef REGPEN_PARALLEL_H
#define REGPEN_PARALLEL_H

#include <cstddef>
#include <cstdlib>
#include <cstring>
#include <thread>

namespace regpen::detail {

constexpr size_t kParallelAbove = size_t{1} << 20;

inline bool worth_a_thread(size_t n) {
  static const bool enabled = [] {
    const char* setting = std::getenv("REGPEN_THREADS");
    const bool single = setting != nullptr && std::strcmp(setting, "1") == 0;
    return !single && std::thread::hardware_concurrency() >= 2;
  }();
  return enabled && n >= kParallelAbove;
}

// Runs second() on a new thread and first() on this one, then waits. When no thread can be
// started, runs both here: the result is the same either way.
template <class First, class Second>
void run_two(First&& first, Second&& second) noexcept {
  std::thread helper;
  try {
    helper = std::thread(second);
  } catch (...) {
    first();
    second();
    return;
  }
  first();
  helper.join();
}

}  // namespace regpen::detail

#endif  // REGPEN_PARALLEL_H
