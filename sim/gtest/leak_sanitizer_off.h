// weft::sim::testing::LeakSanitizerOff: while one lives, LeakSanitizer
// ignores new allocations. Tests that run a deliberately leaking component
// (to show weft's leak checker firing) use it so that the process-exit leak
// check of --config=asan does not report the leak that was the point.
// LeakSanitizer's switch is per thread, so while one lives, the workers of
// a parallel sweep started from GoogleTest (gtest_sim.h) turn it off for
// themselves too.
#pragma once

#include <atomic>

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

namespace weft::sim::testing {

// How many LeakSanitizerOff live, on any thread.
inline std::atomic<int>& leak_sanitizer_off_count() {
  static std::atomic<int> count{0};
  return count;
}

class LeakSanitizerOff {
 public:
  LeakSanitizerOff() {
    leak_sanitizer_off_count().fetch_add(1);
#if defined(__SANITIZE_ADDRESS__)
    __lsan_disable();
#endif
  }
  ~LeakSanitizerOff() {
#if defined(__SANITIZE_ADDRESS__)
    __lsan_enable();
#endif
    leak_sanitizer_off_count().fetch_sub(1);
  }
  LeakSanitizerOff(const LeakSanitizerOff&) = delete;
  LeakSanitizerOff& operator=(const LeakSanitizerOff&) = delete;
};

}  // namespace weft::sim::testing
