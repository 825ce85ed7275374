// weft::RuntimeHooks and weft::ThreadRuntime: the one seam between the
// runtime and whatever runs it under control (the simulator).
//
// Everything a simulation overrides in the runtime is a question to one
// hooks object per thread: a misuse or a failed invariant (report it), a
// buggify() call site (inject a fault?), the memory of task cells and
// coroutine frames (count and quarantine it), any other freed heap block
// (keep it poisoned?), a task spawned cancellable (may the simulation
// cancel it?), and a fatal event such as a crash signal (what must be
// printed before the process dies?). The runtime reads one
// thread-local, ThreadRuntime, and asks. With no hooks installed every
// question has its production answer: print and abort, never inject,
// operator new/delete, ignore, print nothing.
//
// ThreadRuntime also holds the executor polling a task on this thread and
// the depth of no-unwind scopes: regions (destructors, cancellation, state
// transitions) where a report must not throw. Hooks record a failure there
// and let the caller carry on; the simulation stops at the next poll
// boundary. Outside them, hooks throw RunAborted to leave the code under
// test at once.
//
// Process-wide handlers (signals, std::terminate, sanitizer callbacks) are
// installed once by the simulator and ask the current thread's hooks what
// to print; parallel sweeps are N threads, each with its own hooks.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string_view>

#include "runtime/seam/source_location.h"

namespace weft {

class Executor;
namespace sync {
class SyncHooks;
}
using TaskId = std::uint64_t;

enum class MemoryKind : std::uint8_t { kTaskCell, kCoroutineFrame };

// Thrown by hooks to unwind out of the code under test after they recorded
// a failure. Deliberately not a std::exception, so `catch (const
// std::exception&)` in user code does not swallow it; the runtime's own
// catch-all paths rethrow it.
struct RunAborted {};

class RuntimeHooks {
 public:
  // A misuse of the runtime, or a failed WEFT_ASSERT. Hooks that take the
  // report record it, then throw RunAborted when unwinding is allowed
  // (may_unwind()) and return true otherwise; false means "not mine": the
  // caller prints and aborts, as without hooks.
  virtual bool on_misuse(std::string_view what, SourceLocation where) = 0;
  virtual bool on_invariant_failure(std::string_view condition,
                                    std::string_view message,
                                    SourceLocation where) = 0;
  // buggify(probability) at `site`.
  virtual bool should_inject(double probability, SourceLocation site) = 0;
  // Memory for task cells and coroutine frames. Every block is an
  // ordinary operator-new block: hooks may delay its release, never
  // replace the allocator, so a block may be freed under other hooks.
  virtual void* allocate(std::size_t size, MemoryKind kind) = 0;
  virtual void deallocate(void* block, std::size_t size,
                          MemoryKind kind) noexcept = 0;
  // A task was spawned with spawn_cancellable().
  virtual void mark_cancellable(TaskId task) = 0;
  // A coverage mark (mark.h): `name` was reached (or, for a sometimes
  // assertion, checked, and reached if `reached`).
  virtual void on_mark(std::string_view name, bool reached, bool sometimes,
                       SourceLocation site) {
    (void)name;
    (void)reached;
    (void)sometimes;
    (void)site;
  }
  // A heap block freed with operator delete on this thread (when the
  // simulator's heap quarantine replaces operator delete): hooks may keep
  // it, poisoned, and return true; false means "free it now".
  virtual bool take_freed_block(void* block, std::size_t size) noexcept {
    (void)block;
    (void)size;
    return false;
  }
  // The process is about to die of `cause` (a signal, std::terminate, a
  // sanitizer report) on this thread: write to `fd` what must not be lost.
  // Called from a signal handler, so it must be async-signal-safe: write(2)
  // and text formatted before the run. It may also not return (it may
  // start a process to shrink the crash in its place).
  virtual void describe_fatal(int fd, const char* cause) noexcept {
    (void)fd;
    (void)cause;
  }
  // An empty Waker was woken at `site`: whoever should have been woken was
  // not waiting there (a simulation records it; a lost wakeup starts so).
  virtual void on_empty_wake(SourceLocation site) noexcept { (void)site; }

 protected:
  ~RuntimeHooks() = default;
};

struct ThreadRuntime {
  RuntimeHooks* hooks = nullptr;
  // The executor polling a task on this thread, or nullptr outside a poll.
  Executor* current_executor = nullptr;
  // The thread pool this thread is a worker of, or nullptr.
  const void* worker_of = nullptr;
  // Open NoUnwindScopes on this thread.
  std::uint32_t no_unwind_depth = 0;
  // Set while a simulation with simulated threads runs on this thread:
  // weft::sync's atomics, locks and threads ask it (runtime/sync/sync_hooks.h);
  // nullptr means plain std:: behaviour.
  sync::SyncHooks* sync = nullptr;
  // Where the wake being delivered was issued (Waker::wake sets it, the
  // executor's wake path may read and clear it); unknown otherwise.
  SourceLocation wake_site{};
};

namespace detail {
// Constant-initialised, so reading it needs no initialisation check (the
// weft::sync facade reads it on every operation).
extern thread_local constinit ThreadRuntime thread_runtime;
}  // namespace detail

// The calling thread's runtime state (the one thread-local of the runtime).
inline ThreadRuntime& this_thread_runtime() noexcept {
  return detail::thread_runtime;
}

// The hooks that answer for the calling thread: its own, else the process
// fallback, else nullptr (production answers).
RuntimeHooks* current_hooks() noexcept;

// Tells the hooks of this thread (if any) that an empty Waker was woken.
void report_empty_wake(SourceLocation site) noexcept;

// Installs `hooks` for the calling thread; returns the previous ones.
RuntimeHooks* install_thread_hooks(RuntimeHooks* hooks) noexcept;
// Hooks for threads that installed none of their own (for example the
// workers of a ThreadPoolExecutor in a stress test); nullptr removes them.
void install_process_hooks(RuntimeHooks* hooks) noexcept;

// Hooks that give every production answer; derive from it to override a
// few (a stress test that turns assertion failures into exceptions).
class DefaultHooks : public RuntimeHooks {
 public:
  // Not taken: the caller prints and aborts, as with no hooks.
  bool on_misuse(std::string_view, SourceLocation) override { return false; }
  bool on_invariant_failure(std::string_view, std::string_view,
                            SourceLocation) override {
    return false;
  }
  bool should_inject(double, SourceLocation) override { return false; }
  void* allocate(std::size_t size, MemoryKind) override;
  void deallocate(void* block, std::size_t size, MemoryKind) noexcept override;
  void mark_cancellable(TaskId) override {}

 protected:
  ~DefaultHooks() = default;
};

// While one lives, reports on this thread must not throw (see above).
class NoUnwindScope {
 public:
  NoUnwindScope() noexcept { ++this_thread_runtime().no_unwind_depth; }
  ~NoUnwindScope() { --this_thread_runtime().no_unwind_depth; }
  NoUnwindScope(const NoUnwindScope&) = delete;
  NoUnwindScope& operator=(const NoUnwindScope&) = delete;
};

// False inside a NoUnwindScope or while an exception is already unwinding
// the stack (throwing then would call std::terminate).
bool may_unwind() noexcept;

}  // namespace weft
