#include "runtime/executor.h"

namespace weft {
namespace {

thread_local Executor* current_executor = nullptr;

}  // namespace

Executor* Executor::current() noexcept { return current_executor; }

Executor::~Executor() { begin_shutdown(); }

void Executor::begin_shutdown() {
  {
    std::lock_guard<std::mutex> lock(link_->mutex);
    link_->executor = nullptr;
    shutting_down_ = true;
  }
  timers_->shut_down();
}

Executor::CurrentScope::CurrentScope(Executor* executor) noexcept
    : previous_(std::exchange(current_executor, executor)) {}

Executor::CurrentScope::~CurrentScope() { current_executor = previous_; }

}  // namespace weft
