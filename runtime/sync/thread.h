// weft::sync::thread, yield_now and spin_loop_hint: std::thread that is a
// simulated thread (a fiber switched only at weft::sync operations) when
// made under the simulator (see sync_hooks.h).
//
// A thread made in production is a std::thread; one made inside a
// simulation is simulated for its whole life. As with std::thread, a
// joinable thread must be joined or detached before it is destroyed (in
// production std::terminate; under the simulator a reported misuse).
#pragma once

#include <cstdint>
#include <functional>
#include <thread>
#include <utility>

#include "runtime/sync/sync_hooks.h"

namespace weft::sync {

class thread {
 public:
  thread() noexcept = default;
  template <typename Body>
  requires std::invocable<Body&>
  explicit thread(Body body, SourceLocation site = SourceLocation::current())
      : site_(site) {
    if (SyncHooks* hooks = simulated_sync()) {
      simulated_ = hooks->thread_spawn(UniqueFunction(std::move(body)), site);
      run_ = hooks->run_id();
      return;
    }
    native_ = std::thread(std::move(body));
  }
  thread(thread&& other) noexcept
      : native_(std::move(other.native_)),
        simulated_(std::exchange(other.simulated_, 0)),
        run_(other.run_),
        site_(other.site_) {}
  thread& operator=(thread&& other) noexcept;
  ~thread();

  bool joinable() const noexcept {
    return simulated_ != 0 || native_.joinable();
  }
  void join(SourceLocation site = SourceLocation::current());
  void detach();

 private:
  void drop_joinable() noexcept;
  // The hooks of this thread's simulated run, or a misuse naming the run
  // it belonged to and what was asked of it.
  // `may_unwind`: false in a destructor (the misuse is then recorded, or
  // printed before the process ends, and nullptr returned).
  SyncHooks* hooks_of_my_run(const char* what, SourceLocation site,
                             bool may_unwind = true) const;

  std::thread native_;
  std::uint32_t simulated_ = 0;  // the simulated thread's id, 0 if none
  std::uint64_t run_ = 0;        // the simulated run it belongs to
  SourceLocation site_{};
};

// Lets another thread run: std::this_thread::yield in production; under
// the simulator another runnable simulated thread runs now.
void yield_now(SourceLocation site = SourceLocation::current());

// For busy-wait loops: a CPU pause in production; under the simulator a
// yield_now, so a loop that waits for another simulated thread lets it run.
void spin_loop_hint(SourceLocation site = SourceLocation::current());

// How many times a bounded spin loop spins: `production` in production, at
// most 2 under the simulator, where every spin is a scheduling point (two
// still take the spinning path without thousands of points per run).
inline int spin_limit(int production) noexcept {
  return simulated_sync() != nullptr && production > 2 ? 2 : production;
}

}  // namespace weft::sync
