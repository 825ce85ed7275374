// weft::sim::SimTask: the simulator's record of one task, and the tagged
// wakers it hands out. A waker's data is the record's address with the
// poll generation it was made for in the low six bits (records are 64-byte
// aligned), so a wake can tell whether it came through the newest waker or
// a stale one without any allocation per poll.
//
// A record outlives its simulator while wakers still point at it (a leak);
// the last such waker frees it.
#pragma once

#include <cstdint>

#include "runtime/source_location.h"
#include "runtime/task.h"
#include "runtime/waker.h"

namespace weft::sim {

class Simulator;

struct alignas(64) SimTask {
  static constexpr std::uintptr_t kGenerationMask = 63;

  TaskHeader* task = nullptr;
  Simulator* simulator = nullptr;  // nullptr once the simulator is gone
  std::uint64_t id = 0;
  SourceLocation spawned_at;
  std::uint32_t generation = 0;  // polls started so far
  std::uint32_t live_wakers = 0;
  std::uint32_t held_wakes = 0;
  bool cancellable = false;
  bool cell_freed = false;
  std::uint64_t last_clone_step = 0;
  std::uint64_t last_clone_by = 0;  // task polled when it was cloned
  long stale_wake_step = -1;

  RawWaker waker_for_current_poll() const noexcept;
  static SimTask* from_waker_data(const void* data) noexcept {
    return reinterpret_cast<SimTask*>(reinterpret_cast<std::uintptr_t>(data) &
                                      ~kGenerationMask);
  }
  static std::uint32_t generation_of(const void* data) noexcept {
    return static_cast<std::uint32_t>(reinterpret_cast<std::uintptr_t>(data) &
                                      kGenerationMask);
  }
};

extern const WakerVTable kSimWakerVTable;

inline RawWaker SimTask::waker_for_current_poll() const noexcept {
  const auto tagged =
      reinterpret_cast<std::uintptr_t>(this) | (generation & kGenerationMask);
  return RawWaker{reinterpret_cast<const void*>(tagged), &kSimWakerVTable};
}

}  // namespace weft::sim
