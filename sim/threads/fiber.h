// weft::sim::Fiber and FiberContext: stackful coroutines for simulated
// threads. A simulation runs every simulated thread on the one real thread
// that runs the simulator; a switch saves one context and resumes another
// (ucontext: no real thread, so a run stays a pure function of its
// decisions).
//
// FiberContext is a place execution can be suspended and resumed: the
// simulator's own stack (made with FiberContext::current_stack()) or a
// Fiber's stack. switch_to(from, to) suspends the caller in `from` and
// resumes `to`; it returns when something switches back to `from`.
//
// Sanitizers are told about every switch (ASan's fiber API, TSan's fiber
// API), so stacks, exceptions and fake frames stay coherent under
// --config=asan and --config=tsan. A Fiber's stack is an mmap with a guard
// page below it: an overflow is a clean segfault, not silent corruption.
#pragma once

#include <cstddef>
#include <memory>

namespace weft::sim {

class FiberContext {
 public:
  // The context of the stack that is running now (the simulator's own).
  static std::unique_ptr<FiberContext> current_stack();
  ~FiberContext();
  FiberContext(const FiberContext&) = delete;
  FiberContext& operator=(const FiberContext&) = delete;

  // Suspends the caller in `from` and resumes `to`. `from_is_finished`:
  // the caller never resumes (its fiber returned), so sanitizers may drop
  // its fake stack.
  static void switch_to(FiberContext& from, FiberContext& to,
                        bool from_is_finished = false) noexcept;

 public:
  // The saved context and sanitizer bookkeeping (fiber.cc).
  struct Impl;

 private:
  friend class Fiber;
  explicit FiberContext(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// A fiber: `entry(argument)` on a stack of its own. It runs when something
// switches to context(); `entry` must never return (it switches away for
// the last time with from_is_finished = true).
class Fiber {
 public:
  static constexpr std::size_t kDefaultStackBytes = std::size_t{1} << 20;
  Fiber(void (*entry)(void*), void* argument,
        std::size_t stack_bytes = kDefaultStackBytes);
  ~Fiber();
  Fiber(const Fiber&) = delete;
  Fiber& operator=(const Fiber&) = delete;

  FiberContext& context() noexcept { return *context_; }

 private:
  void* mapping_ = nullptr;
  std::size_t mapping_bytes_ = 0;
  std::unique_ptr<FiberContext> context_;
};

}  // namespace weft::sim
