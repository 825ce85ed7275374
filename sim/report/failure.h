// weft::sim::Failure: what ended a simulated run badly, named by the checker
// that found it.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include "runtime/seam/source_location.h"

namespace weft::sim {

enum class Checker : std::uint8_t {
  kDeadlock,           // nothing can run, no timer, tasks unfinished
  kNeverWoken,         // a pending task's last waker is gone
  kStaleWaker,         // stuck because a future kept an old waker
  kLeak,               // tasks, wakers, frames or timers outlive teardown
  kUseAfterDrop,       // dropped memory was touched
  kProtocolMisuse,     // poll after Ready and other runtime misuse
  kInvariant,          // WEFT_ASSERT or a test assertion failed
  kUncaughtException,  // the scenario's root task threw
  kStepBudget,         // livelock: more steps than limits.steps_max
  kTaskBudget,         // more tasks than limits.tasks_max
  kTimeBudget,         // virtual time passed limits.virtual_time_max
  kReplayMismatch,     // a replayed list no longer fits the program
  kNondeterminism,     // the same decisions gave a different trace
  kCrash,              // a signal, a sanitizer report or std::terminate
  kSearchIncomplete,   // exhaustive search stopped by its run cap
  kMarkNeverReached,   // a required mark or a sometimes never held
  kLiveness,           // an eventually() condition still false at its deadline
  kDataRace,           // two unordered accesses to a weft::sync::Cell
};

std::string_view to_string(Checker checker) noexcept;

struct Failure {
  Checker checker;
  std::string message;
  // Where an invariant failed (or a misuse was reported), when known;
  // shrinking keeps a failure at the same site.
  SourceLocation site;
  std::uint64_t step = 0;
  // For kCrash: what killed the run ("SIGSEGV", "AddressSanitizer", ...).
  std::string crash_kind;

  // Same checker and, for invariants, the same site.
  bool same_kind_as(const Failure& other) const noexcept;
};

}  // namespace weft::sim
