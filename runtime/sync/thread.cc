#include "runtime/sync/thread.h"

#include <exception>

#include "runtime/sync/spin_pause.h"

namespace weft::sync {

thread& thread::operator=(thread&& other) noexcept {
  if (this == &other) return *this;
  if (joinable()) drop_joinable();
  native_ = std::move(other.native_);
  simulated_ = std::exchange(other.simulated_, 0);
  site_ = other.site_;
  return *this;
}

thread::~thread() {
  if (joinable()) drop_joinable();
}

void thread::drop_joinable() noexcept {
  if (simulated_ != 0) {
    if (SyncHooks* hooks = simulated_sync()) {
      hooks->thread_dropped_joinable(simulated_, site_);
      simulated_ = 0;
      return;
    }
  }
  std::terminate();  // as std::thread does
}

void thread::join(SourceLocation site) {
  if (simulated_ != 0) {
    SyncHooks* hooks = simulated_sync();
    const std::uint32_t id = std::exchange(simulated_, 0);
    if (hooks != nullptr) hooks->thread_join(id, site);
    return;
  }
  native_.join();
}

void thread::detach() {
  if (simulated_ != 0) {
    SyncHooks* hooks = simulated_sync();
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
