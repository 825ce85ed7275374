// weft::sim::eventually: a liveness property. A scenario awaits it to say
// "this must come true within that much (virtual) time":
//
//   co_await weft::sim::eventually([&] { return sink.flushed() == 2; },
//                                  "every pushed item is flushed",
//                                  std::chrono::milliseconds(50));
//
// It checks the condition, then again after each of 32 equal slices of
// `within`; still false at the end is a `liveness` failure naming the
// property and describing every unfinished task, with the replay line of
// any failure. Because it keeps a timer armed, a run whose other tasks are
// all stuck reaches the deadline instead of a deadlock report, and a
// fire-and-forget bug (work that is silently never done, with nobody
// waiting for it) is caught at all. Outside a simulation it is the same
// wait on the executor's clock, and a miss is an invariant failure.
#pragma once

#include <cstdint>
#include <string>
#include <utility>

#include "runtime/future/async.h"
#include "runtime/seam/source_location.h"
#include "runtime/task/clock.h"
#include "runtime/time/sleep.h"

namespace weft::sim {

namespace detail {
// Reports that `name` was still false after `within` (see the top).
void report_not_eventually(const std::string& name, Duration within,
                           std::uint32_t checks, SourceLocation site);
inline constexpr std::uint32_t kEventuallySlices = 32;
}  // namespace detail

// `condition` is copied into the wait's frame; what it refers to must
// outlive the co_await (a scenario's locals do).
template <typename Condition>
Async<void> eventually(Condition condition, std::string name, Duration within,
                       SourceLocation site = SourceLocation::current()) {
  const Duration slice =
      std::max(Duration(1),
               within / static_cast<std::int64_t>(detail::kEventuallySlices));
  for (std::uint32_t checks = 1;; ++checks) {
    if (condition()) co_return;
    if (checks > detail::kEventuallySlices) {
      detail::report_not_eventually(name, within, checks, site);
      co_return;
    }
    co_await sleep_for(slice);
  }
}

}  // namespace weft::sim
