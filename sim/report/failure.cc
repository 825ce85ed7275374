#include "sim/report/failure.h"

#include <cstring>

namespace weft::sim {

std::string_view to_string(Checker checker) noexcept {
  switch (checker) {
    case Checker::kDeadlock:
      return "deadlock";
    case Checker::kNeverWoken:
      return "never-woken";
    case Checker::kStaleWaker:
      return "stale-waker";
    case Checker::kLeak:
      return "leak";
    case Checker::kUseAfterDrop:
      return "use-after-drop";
    case Checker::kProtocolMisuse:
      return "protocol-misuse";
    case Checker::kInvariant:
      return "invariant";
    case Checker::kUncaughtException:
      return "uncaught-exception";
    case Checker::kStepBudget:
      return "step-budget";
    case Checker::kTaskBudget:
      return "task-budget";
    case Checker::kTimeBudget:
      return "time-budget";
    case Checker::kReplayMismatch:
      return "replay-mismatch";
    case Checker::kNondeterminism:
      return "nondeterminism";
    case Checker::kCrash:
      return "crash";
    case Checker::kSearchIncomplete:
      return "search-incomplete";
    case Checker::kMarkNeverReached:
      return "mark-never-reached";
    case Checker::kLiveness:
      return "liveness";
    case Checker::kDataRace:
      return "data-race";
  }
  return "unknown";
}

bool Failure::same_kind_as(const Failure& other) const noexcept {
  if (checker != other.checker) return false;
  // A crash is the same only with the same signal or sanitizer.
  if (checker == Checker::kCrash) return crash_kind == other.crash_kind;
  // An assertion, a liveness property or a data race is the same only at
  // the same site.
  if (checker != Checker::kInvariant && checker != Checker::kLiveness &&
      checker != Checker::kDataRace) {
    return true;
  }
  return site.line == other.site.line &&
         std::strcmp(site.file, other.site.file) == 0;
}

}  // namespace weft::sim
