#include "runtime/task/executor.h"

#include "runtime/seam/hooks.h"
#include "runtime/sync/mutex.h"

namespace weft {

Executor* Executor::current() noexcept {
  return this_thread_runtime().current_executor;
}

Executor::~Executor() { begin_shutdown(); }

void Executor::begin_shutdown() {
  {
    sync::lock_guard lock(link_->mutex);
    link_->executor = nullptr;
    shutting_down_ = true;
  }
  timers_->shut_down();
}

Executor::CurrentScope::CurrentScope(Executor* executor) noexcept
    : previous_(
          std::exchange(this_thread_runtime().current_executor, executor)) {}

Executor::CurrentScope::~CurrentScope() {
  this_thread_runtime().current_executor = previous_;
}

}  // namespace weft
