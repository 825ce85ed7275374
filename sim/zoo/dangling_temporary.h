// A coroutine that takes its argument by reference, called with a
// temporary: coroutines start at their first poll, long after the
// full-expression that created the temporary ended, so the reference
// dangles. The stand-in object clears a canary when destroyed, so the read
// of a dead object is seen (under ASan, the read itself is reported). The
// fixed twin takes the argument by value, which copies it into the frame.
#pragma once

#include <cstdint>
#include <type_traits>

#include "runtime/future/async.h"
#include "runtime/seam/assert.h"
#include "runtime/task/executor.h"

namespace weft::zoo {

struct Config {
  static constexpr std::uint64_t kAlive = 0x5eed5eed5eed5eedULL;
  std::uint64_t canary = kAlive;
  int retries = 3;
  ~Config() { canary = 0; }
};

template <bool kFixed>
using ConfigParameter = std::conditional_t<kFixed, Config, const Config&>;

template <bool kFixed>
Async<int> attempts(ConfigParameter<kFixed> config) {
  WEFT_ASSERT(config.canary == Config::kAlive,
              "the coroutine read its argument after it was destroyed");
  co_return config.retries + 1;
}

template <bool kFixed>
Async<void> dangling_temporary_scenario() {
  // The Config temporary dies at the end of this statement; the task's
  // first poll comes later.
  auto task = spawn(attempts<kFixed>(Config{}));
  WEFT_ASSERT(co_await std::move(task) == 4, "wrong number of attempts");
}

}  // namespace weft::zoo
