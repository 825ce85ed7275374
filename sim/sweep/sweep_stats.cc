#include "sim/sweep/sweep_stats.h"

#include <algorithm>
#include <cstring>

namespace weft::sim {

MarkStats& StatsKeeper::mark_named(const std::string& name, bool sometimes) {
  for (MarkStats& mark : stats_.marks) {
    if (mark.name == name) return mark;
  }
  stats_.marks.push_back(MarkStats{name, sometimes, 0});
  return stats_.marks.back();
}

void StatsKeeper::add(const RunResult& run, std::optional<std::uint64_t> seed) {
  ++stats_.runs;
  stats_.steps += run.steps;
  stats_.decisions += run.decisions.size();
  stats_.thread_switches += run.thread_switches;
  if (run.thread_switches > 0) ++stats_.runs_with_thread_switches;
  stats_.net_messages += run.net_messages;
  for (const Decision& decision : run.decisions) {
    if (!decision.perturbed()) continue;
    ++stats_.perturbations;
    // A task cancelled at a poll boundary or while it waited.
    if (decision.kind == DecisionKind::kCancel ||
        decision.kind == DecisionKind::kCancelWaiting) {
      ++stats_.cancellations;
    }
  }
  if (schedules_.insert(run.trace_hash).second) ++stats_.distinct_schedules;
  if (seed) {
    if (!stats_.first_seed) stats_.first_seed = seed;
    stats_.last_seed = seed;
  }
  for (const MarkResult& mark : run.marks) {
    MarkStats& stats = mark_named(mark.name, mark.sometimes);
    if (mark.reached) ++stats.runs_reached;
  }
  if (!run.coverage.empty()) add_coverage(run.coverage);
}

void StatsKeeper::add_coverage(const CoverageMap& coverage) {
  if (feature_runs_.empty()) {
    feature_runs_.assign(kCoverageSlots * kCoverageBuckets, 0);
  }
  ++stats_.coverage_runs;
  const std::size_t slots = std::min(coverage.size(), kCoverageSlots);
  for (std::size_t slot = 0; slot < slots; ++slot) {
    // Most slots are empty: skip them eight at a time.
    if (slot % 8 == 0 && slot + 8 <= slots) {
      std::uint64_t word = 0;
      std::memcpy(&word, coverage.data() + slot, sizeof word);
      if (word == 0) {
        slot += 7;
        continue;
      }
    }
    if (coverage[slot] == 0) continue;
    std::uint16_t& runs = feature_runs_[slot * kCoverageBuckets +
                                        coverage_bucket(coverage[slot])];
    if (runs == 0) {
      ++stats_.features;
      ++stats_.singleton_features;
    } else if (runs == 1) {
      --stats_.singleton_features;
    }
    if (runs != 0xffff) ++runs;
  }
}

void StatsKeeper::require_marks(const std::vector<std::string>& names) {
  for (const std::string& name : names) {
    required_.insert(name);
    (void)mark_named(name, false);
  }
}

std::optional<Failure> StatsKeeper::unreached_marks() const {
  std::string unreached;
  for (const MarkStats& mark : stats_.marks) {
    if (mark.runs_reached > 0) continue;
    if (!mark.sometimes && required_.count(mark.name) == 0) continue;
    unreached += std::string(unreached.empty() ? "" : "; ") +
                 (mark.sometimes ? "sometimes " : "mark ") + mark.name +
                 (mark.sometimes ? " was never true" : " was never reached");
  }
  if (unreached.empty()) return std::nullopt;
  Failure failure;
  failure.checker = Checker::kMarkNeverReached;
  failure.message = unreached + " in " + std::to_string(stats_.runs) +
                    " runs: the sweep never got where the test meant it to "
                    "go (more runs, another strategy, or a scenario that can "
                    "reach it)";
  return failure;
}

std::string StatsKeeper::marks_text() const {
  if (stats_.marks.empty()) return {};
  std::string text = "marks:";
  for (const MarkStats& mark : stats_.marks) {
    text += " " + mark.name + " " + std::to_string(mark.runs_reached) + "/" +
            std::to_string(stats_.runs) + ",";
  }
  text.pop_back();
  return text;
}

}  // namespace weft::sim
