// weft::sim::SimTask: the simulator's record of one task, and the tagged
// wakers it hands out. A waker's data is the record's address with the
// poll generation it was made for folded into the bits a pointer does not
// use (the low 6, since records are 64-byte aligned, and the top 16, since
// user-space addresses on x86-64 and AArch64 fit in 48 bits), so a wake
// can tell whether it came through the newest waker or a stale one without
// any allocation per poll. Generations are compared modulo 2^22: a waker
// 4,194,304 polls old would pass as current.
//
// A record outlives its simulator while wakers still point at it (a leak);
// the last such waker frees it.
#pragma once

#include <cstdint>

#include "runtime/future/waker.h"
#include "runtime/seam/source_location.h"
#include "runtime/task/task.h"

namespace weft::sim {

class Simulator;

struct alignas(64) SimTask {
  static constexpr std::uintptr_t kLowBits = 6;
  static constexpr std::uintptr_t kLowMask = (1u << kLowBits) - 1;
  static constexpr std::uintptr_t kHighShift = 48;
  static constexpr std::uint32_t kGenerationBits = 22;
  static constexpr std::uint32_t kGenerationMask = (1u << kGenerationBits) - 1;
  static constexpr std::uintptr_t kAddressMask =
      ((std::uintptr_t{1} << kHighShift) - 1) & ~kLowMask;

  TaskHeader* task = nullptr;
  Simulator* simulator = nullptr;  // nullptr once the simulator is gone
  std::uint64_t id = 0;
  SourceLocation spawned_at;
  std::uint32_t generation = 0;  // polls started so far
  std::uint32_t live_wakers = 0;
  std::uint32_t held_wakes = 0;
  std::uint32_t hold_questions = 0;  // wakes that could be held, so far
  // The decision that cancelled the task while it waited, until its
  // future is dropped (-1: none).
  long waiting_cancel_decision = -1;
  bool cancellable = false;
  bool cell_freed = false;
  std::uint64_t last_clone_step = 0;
  std::uint64_t last_clone_by = 0;  // task polled when it was cloned
  long stale_wake_step = -1;

  // True if this record's address leaves the tag bits free (checked once,
  // when the record is made).
  bool taggable() const noexcept {
    return (reinterpret_cast<std::uintptr_t>(this) & ~kAddressMask) == 0;
  }
  RawWaker waker_for_current_poll() const noexcept;
  static SimTask* from_waker_data(const void* data) noexcept {
    return reinterpret_cast<SimTask*>(reinterpret_cast<std::uintptr_t>(data) &
                                      kAddressMask);
  }
  static std::uint32_t generation_of(const void* data) noexcept {
    const auto bits = reinterpret_cast<std::uintptr_t>(data);
    return static_cast<std::uint32_t>((bits & kLowMask) |
                                      ((bits >> kHighShift) << kLowBits));
  }
};

extern const WakerVTable kSimWakerVTable;

inline RawWaker SimTask::waker_for_current_poll() const noexcept {
  const std::uintptr_t tag = generation & kGenerationMask;
  const std::uintptr_t tagged = reinterpret_cast<std::uintptr_t>(this) |
                                (tag & kLowMask) |
                                ((tag >> kLowBits) << kHighShift);
  return RawWaker{reinterpret_cast<const void*>(tagged), &kSimWakerVTable};
}

}  // namespace weft::sim
