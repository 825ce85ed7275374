#include "runtime/seam/hooks.h"

#include <atomic>
#include <exception>
#include <new>

namespace weft {
namespace detail {

thread_local constinit ThreadRuntime thread_runtime;

}  // namespace detail
namespace {

using detail::thread_runtime;
std::atomic<RuntimeHooks*> process_hooks{nullptr};

}  // namespace

RuntimeHooks* current_hooks() noexcept {
  RuntimeHooks* hooks = thread_runtime.hooks;
  // Acquire: a thread that sees the process hooks sees them constructed.
  return hooks != nullptr ? hooks
                          : process_hooks.load(std::memory_order_acquire);
}

void report_empty_wake(SourceLocation site) noexcept {
  if (RuntimeHooks* hooks = current_hooks()) hooks->on_empty_wake(site);
}

RuntimeHooks* install_thread_hooks(RuntimeHooks* hooks) noexcept {
  RuntimeHooks* previous = thread_runtime.hooks;
  thread_runtime.hooks = hooks;
  return previous;
}

void install_process_hooks(RuntimeHooks* hooks) noexcept {
  // Release: pairs with the acquire in current_hooks().
  process_hooks.store(hooks, std::memory_order_release);
}

bool may_unwind() noexcept {
  return thread_runtime.no_unwind_depth == 0 && std::uncaught_exceptions() == 0;
}

void* DefaultHooks::allocate(std::size_t size, MemoryKind) {
  return ::operator new(size);
}

void DefaultHooks::deallocate(void* block, std::size_t size,
                              MemoryKind) noexcept {
#if defined(__cpp_sized_deallocation)
  ::operator delete(block, size);
#else
  (void)size;  // clang before 19 leaves sized deallocation off by default
  ::operator delete(block);
#endif
}

}  // namespace weft
