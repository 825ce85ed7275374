// weft::sim::FailureReport: everything a person needs about a failed run:
// the checker and its message, the seed and strategy, the decisions before
// and after shrinking, a timeline of the last events, the files written,
// and the lines that replay it. The header, the timeline and the first
// replay line all describe the same run: the shrunk one when shrinking
// ran. The report ends with the line to paste.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "sim/decision/decision.h"
#include "sim/report/failure.h"

namespace weft::sim {

struct FailureReport {
  // The failing run after shrinking, when shrinking ran.
  struct Shrunk {
    SparseDecisions decisions;  // with the shrunk run's decision count
    std::uint64_t steps = 0;
    std::uint64_t attempts = 0;
    bool budget_ran_out = false;
    bool one_minimal = false;
  };

  // The failure of the run shown: the shrunk one when there is one.
  Failure failure;
  std::string strategy;
  std::optional<std::uint64_t> seed;
  std::uint64_t runs = 0;  // runs of the sweep up to and including this one
  DecisionList decisions;  // the run as found (empty for a crash)
  SparseDecisions found;   // its perturbations and decision count
  std::uint64_t steps = 0;
  std::optional<Shrunk> shrunk;
  // Of the run shown: each perturbed decision in words, who left a stuck
  // run stuck, and the timeline (explain.h).
  std::vector<std::string> decisive;
  std::vector<std::string> culprits;
  std::string timeline;
  // Replays the run shown (shrunk if shrunk), and the run as found.
  std::string replay_command;
  std::string replay_as_found_command;
  // Files written, as "<what>: <path>" (the path where a person finds it),
  // and files that could not be written, with the reason.
  std::vector<std::string> files;
  std::vector<std::string> file_problems;
  std::string trace_path;      // empty when no trace was written
  std::string page_path;       // the HTML page; empty when none was written
  std::string decisions_path;  // empty when no decision file was written
  // Extra lines (for example the sanitizer's summary of a crash).
  std::string notes;

  std::string to_string() const;
};

// Perturbed decisions are listed in the report up to this many.
inline constexpr std::size_t kListedPerturbationsMax = 24;

}  // namespace weft::sim
