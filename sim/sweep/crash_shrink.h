// weft::sim::shrink_crash: the second half of crash handling. The first
// half (fatal_report.h) printed the crashing run's replay line and started
// the test binary again with WEFT_CRASH_RESUME; here, in that new process,
// the crash is confirmed and shrunk by running every candidate in a child
// process (fork), so that a crash is a result instead of the end, and it
// is reported like any other failure: checker `crash`, the signal or
// sanitizer that killed the run, the shrunk decisions, the timeline of
// the shrunk run (sent back by the dying child), and the replay lines.
//
// A child gets at most kChildSeconds of CPU time; one that runs longer is
// counted as not failing the same way.
//
// A hang is a crash too: the test's timeout sent SIGTERM while a run was
// still going. Then every candidate has kHangCandidateTime of wall time
// (a child still running is sent SIGTERM, whose handler sends back where
// it was, then SIGKILL), a candidate still running at its limit counts as
// hanging the same way, and the whole shrink ends within kHangShrinkTime,
// so the final report comes inside Bazel's 15 s grace after SIGTERM.
#pragma once

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/core/options.h"
#include "sim/decision/decision.h"
#include "sim/report/trace.h"
#include "sim/sweep/shrink.h"
#include "sim/sweep/single_run.h"
#include "sim/sweep/sweep.h"

namespace weft::sim {

inline constexpr unsigned kChildSeconds = 20;
inline constexpr std::chrono::milliseconds kHangCandidateTime{1500};
inline constexpr std::chrono::milliseconds kHangShrinkTime{8000};

// Whether a crash's cause is the SIGTERM of a timeout (a hang).
bool is_hang(const std::string& cause);

// What one child run did.
struct ChildOutcome {
  enum class Kind : std::uint8_t {
    kCrashed,   // died of `cause`, after telling us
    kFinished,  // ran to its end; `failure` says how
    kLost,      // died without a word (killed, out of time); `cause` says how
  };
  Kind kind = Kind::kLost;
  std::string cause;
  std::optional<Failure> failure;
  DecisionList recorded;  // every decision the run made, up to its end
  std::uint64_t steps = 0;
  std::vector<TraceEvent> events;
  std::string error_output;  // the child's stderr, when captured
  // For a crash: the checker failure the run had before it died, if any.
  std::string earlier_failure;
};

ChildOutcome run_candidate_in_child(
    const Scenario& scenario, const SimOptions& options,
    const Candidate& candidate, bool capture_error_output,
    std::optional<std::chrono::milliseconds> time_max = std::nullopt);

SweepOutcome shrink_crash(const Scenario& scenario, const SimOptions& options,
                          const SweepConfig& config);

}  // namespace weft::sim
