// JoinSet: every task's outcome is reported once, in finishing order,
// including aborted ones, and dropping the set ends the rest.
#include <chrono>

#include "fuzz/fuzz_scenario.h"
#include "runtime/weft.h"
#include "sim/core/simulator.h"

namespace {

using weft::Async;
using namespace std::chrono_literals;

Async<void> scenario() {
  int results = 0;
  int cancelled = 0;
  {
    weft::JoinSet<int> set;
    for (int i = 0; i < 5; ++i) {
      set.spawn([](int i) -> Async<int> {
        co_await weft::sleep_for(std::chrono::milliseconds(i));
        co_return i;
      }(i));
    }
    auto first = co_await weft::timeout(2500us, set.join_next());
    if (!first.timed_out()) ++results;
    set.abort_all();
    while (!set.empty()) {
      try {
        if (co_await set.join_next()) ++results;
      } catch (const weft::TaskCancelled&) {
        ++cancelled;
      }
    }
  }
  WEFT_ASSERT_EQ(results + cancelled, 5);
  weft::JoinSet<void> dropped;
  dropped.spawn([]() -> Async<void> { co_await weft::sleep_for(1h); }());
}

}  // namespace

WEFT_FUZZ_SCENARIO(join_set_fuzz, scenario, weft::sim::SimOptions{})
