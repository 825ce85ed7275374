// weft::sim::StatsKeeper: what a sweep explored, counted run by run
// without keeping any run: steps, decisions, perturbations, cancellations,
// distinct schedules (by trace hash), the seeds, and how many runs reached
// each coverage mark (runtime/seam/mark.h).
#pragma once

#include <algorithm>
#include <cstdint>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include "sim/core/run_result.h"
#include "sim/report/failure.h"

namespace weft::sim {

struct MarkStats {
  std::string name;
  bool sometimes = false;
  std::uint64_t runs_reached = 0;
};

struct SweepStats {
  std::uint64_t runs = 0;
  std::uint64_t steps = 0;
  std::uint64_t decisions = 0;
  std::uint64_t perturbations = 0;
  std::uint64_t cancellations = 0;
  std::uint64_t distinct_schedules = 0;
  // Simulated threads: switches in all runs, and runs that made any.
  std::uint64_t thread_switches = 0;
  std::uint64_t runs_with_thread_switches = 0;
  std::uint64_t net_messages = 0;
  std::optional<std::uint64_t> first_seed;
  std::optional<std::uint64_t> last_seed;
  std::vector<MarkStats> marks;  // in the order first seen
  // Schedule coverage (sim/core/coverage.h), when the runs recorded it:
  // the runs that did, the features (slot and hit-count bucket) seen, and
  // those seen in exactly one run.
  std::uint64_t coverage_runs = 0;
  std::uint64_t features = 0;
  std::uint64_t singleton_features = 0;

  // Good-Turing's estimate of the chance that one more run shows a
  // feature no run has shown yet: singletons / runs (the reasoning of
  // Böhme's STADS, with runs as samples and features as species). With
  // several features per run the ratio estimates new features per run,
  // which bounds the chance from above: it is capped at 1. nullopt when no
  // run recorded coverage.
  std::optional<double> new_behaviour_chance() const {
    if (coverage_runs == 0) return std::nullopt;
    return std::min(1.0, static_cast<double>(singleton_features) /
                             static_cast<double>(coverage_runs));
  }
};

class StatsKeeper {
 public:
  void add(const RunResult& run, std::optional<std::uint64_t> seed);
  // Marks the test requires, listed even if never seen.
  void require_marks(const std::vector<std::string>& names);
  const SweepStats& stats() const noexcept { return stats_; }

  // A sometimes that never held, or a required mark never reached, as a
  // failure message; nullopt when every one was reached.
  std::optional<Failure> unreached_marks() const;
  // "marks: queue full 37/200, retried 0/200", or "" without marks.
  std::string marks_text() const;

 private:
  MarkStats& mark_named(const std::string& name, bool sometimes);

  void add_coverage(const CoverageMap& coverage);

  SweepStats stats_;
  // Per feature (slot * kCoverageBuckets + bucket): runs that showed it,
  // saturating.
  std::vector<std::uint16_t> feature_runs_;
  std::set<std::uint64_t> schedules_;
  std::set<std::string> required_;
};

}  // namespace weft::sim
