// A configuration loaded by a background thread and handed to a task
// through a "ready" flag. The bug: the flag is stored and loaded with
// memory_order_relaxed, so nothing orders the thread's writes of the
// configuration before the task's reads of it (on a weakly ordered CPU the
// task can read a half-written configuration). The configuration is a
// weft::sync::Cell, so the simulator's race check reports the write and
// the read with both sites, whatever the schedule. The fixed twin stores
// with release and loads with acquire.
#pragma once

#include <string>

#include "runtime/future/async.h"
#include "runtime/future/future.h"
#include "runtime/future/yield_now.h"
#include "runtime/seam/assert.h"
#include "runtime/sync/sync.h"

namespace weft::zoo {

template <bool kFixed>
Async<void> relaxed_publish_scenario() {
  constexpr auto kStore =
      kFixed ? std::memory_order_release : std::memory_order_relaxed;
  constexpr auto kLoad =
      kFixed ? std::memory_order_acquire : std::memory_order_relaxed;
  sync::Cell<std::string> config;
  sync::atomic<bool> ready{false};
  sync::thread loader([&] {
    config.write("retries=3");
    ready.store(true, kStore);
  });
  // The task polls the flag between other work, as a real one would.
  while (!ready.load(kLoad)) co_await yield_now();
  WEFT_ASSERT_EQ(config.read(), std::string("retries=3"));
  loader.join();
}

}  // namespace weft::zoo
