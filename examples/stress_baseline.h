// The hunt's baseline: what people do today. A buggy component runs again
// and again on the real ThreadPoolExecutor for a fixed wall time, and we
// count whether the bug ever showed (an assertion, a misuse, a hang past a
// generous timeout, or a crash). It runs in a child process, so a memory
// bug that corrupts the heap cannot take the hunt down with it.
#pragma once

#include <chrono>
#include <string>

#include "sim/sweep/single_run.h"

namespace weft::hunt {

struct StressResult {
  bool found = false;
  std::string how;  // "assertion", "hang", "crash (signal 11)", ...
  long runs = 0;
};

StressResult stress_on_thread_pool(const sim::Scenario& scenario,
                                   std::chrono::milliseconds budget);

}  // namespace weft::hunt
