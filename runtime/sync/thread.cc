#include "runtime/sync/thread.h"

#include <exception>
#include <string>

#include "runtime/seam/misuse.h"
#include "runtime/sync/spin_pause.h"

namespace weft::sync {

thread& thread::operator=(thread&& other) noexcept {
  if (this == &other) return *this;
  if (joinable()) drop_joinable();
  native_ = std::move(other.native_);
  simulated_ = std::exchange(other.simulated_, 0);
  run_ = other.run_;
  site_ = other.site_;
  return *this;
}

SyncHooks* thread::hooks_of_my_run(const char* what, SourceLocation site,
                                   bool may_unwind) const {
  SyncHooks* hooks = simulated_sync();
  if (hooks != nullptr && hooks->run_id() == run_) return hooks;
  // A simulated thread exists only inside the run that spawned it: a
  // weft::sync::thread kept past its run names a thread of no run now.
  const std::string message =
      std::string("a weft::sync::thread spawned at ") + site_.file + ":" +
      std::to_string(site_.line) + " in simulated run #" +
      std::to_string(run_) + " was " + what + " " +
      (hooks == nullptr ? std::string("outside any simulated run")
                        : "in run #" + std::to_string(hooks->run_id())) +
      ", after its run ended; join it (or let it go) before "
      "its run ends";
  if (may_unwind) report_misuse(message, site);
  report_misuse_no_unwind(message, site);
  return nullptr;
}

thread::~thread() {
  if (joinable()) drop_joinable();
}

void thread::drop_joinable() noexcept {
  if (simulated_ != 0) {
    SyncHooks* hooks = simulated_sync();
    if (hooks != nullptr && hooks->run_id() == run_) {
      hooks->thread_dropped_joinable(simulated_, site_);
      simulated_ = 0;
      return;
    }
    // A destructor may not throw: the misuse is recorded (or, outside any
    // run, printed before the process ends).
    (void)hooks_of_my_run("destroyed while joinable", site_, false);
    simulated_ = 0;
    return;
  }
  std::terminate();  // as std::thread does
}

void thread::join(SourceLocation site) {
  if (simulated_ != 0) {
    SyncHooks* hooks = hooks_of_my_run("joined", site);
    const std::uint32_t id = std::exchange(simulated_, 0);
    if (hooks != nullptr) hooks->thread_join(id, site);
    return;
  }
  native_.join();
}

void thread::detach() {
  if (simulated_ != 0) {
    SyncHooks* hooks = hooks_of_my_run("detached", site_);
    const std::uint32_t id = std::exchange(simulated_, 0);
    if (hooks != nullptr) hooks->thread_detach(id);
    return;
  }
  native_.detach();
}

void yield_now(SourceLocation site) {
  if (SyncHooks* hooks = simulated_sync()) {
    hooks->yield(site);
    return;
  }
  std::this_thread::yield();
}

void spin_loop_hint(SourceLocation site) {
  if (SyncHooks* hooks = simulated_sync()) {
    hooks->yield(site);
    return;
  }
  spin_pause();
}

}  // namespace weft::sync
