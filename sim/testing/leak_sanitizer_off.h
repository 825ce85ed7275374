// weft::sim::testing::LeakSanitizerOff: while one lives, LeakSanitizer
// ignores new allocations. Tests that run a deliberately leaking component
// (to show weft's leak checker firing) use it so that the process-exit leak
// check of --config=asan does not report the leak that was the point.
#pragma once

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>
#endif

namespace weft::sim::testing {

class LeakSanitizerOff {
 public:
#if defined(__SANITIZE_ADDRESS__)
  LeakSanitizerOff() { __lsan_disable(); }
  ~LeakSanitizerOff() { __lsan_enable(); }
#else
  // Not trivial, so a local of this type is not "unused".
  LeakSanitizerOff() {}
  ~LeakSanitizerOff() {}
#endif
  LeakSanitizerOff(const LeakSanitizerOff&) = delete;
  LeakSanitizerOff& operator=(const LeakSanitizerOff&) = delete;
};

}  // namespace weft::sim::testing
