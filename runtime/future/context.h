// weft::Context: what a future is polled with. It carries the waker of the
// task being polled and, when the executor asks for it, an AwaitTrace that
// coroutines fill with the places they are suspended at during this poll, so
// that a stuck task can say where it waits.
#pragma once

#include <cstdint>

#include "runtime/future/waker.h"
#include "runtime/seam/source_location.h"

namespace weft {

// The await sites of one poll, innermost first. Fixed size: recording never
// allocates; frames deeper than kFramesMax are counted but not kept.
class AwaitTrace {
 public:
  static constexpr std::uint32_t kFramesMax = 8;

  void clear() noexcept { depth_ = 0; }
  void push(SourceLocation site) noexcept {
    if (depth_ < kFramesMax) frames_[depth_] = site;
    ++depth_;
  }
  // Number of sites recorded, including the ones past kFramesMax.
  std::uint32_t depth() const noexcept { return depth_; }
  std::uint32_t kept() const noexcept {
    return depth_ < kFramesMax ? depth_ : kFramesMax;
  }
  const SourceLocation& frame(std::uint32_t index) const noexcept {
    return frames_[index];
  }
  // The innermost await: where the task is actually parked.
  SourceLocation innermost() const noexcept {
    return depth_ == 0 ? SourceLocation{} : frames_[0];
  }

 private:
  SourceLocation frames_[kFramesMax];
  std::uint32_t depth_ = 0;
};

class Context {
 public:
  explicit Context(const Waker& waker, AwaitTrace* trace = nullptr) noexcept
      : waker_(waker), trace_(trace) {}
  Context(const Context&) = delete;
  Context& operator=(const Context&) = delete;

  const Waker& waker() const noexcept { return waker_; }

  // Called by a coroutine when it suspends on an await during this poll.
  void record_await(SourceLocation site) noexcept {
    if (trace_ != nullptr) trace_->push(site);
  }
  const AwaitTrace* await_trace() const noexcept { return trace_; }

 private:
  const Waker& waker_;
  AwaitTrace* trace_;
};

}  // namespace weft
