#include "sim/shrink.h"

#include <algorithm>

#include "sim/decision_source.h"

namespace weft::sim {
namespace {

// Replays a candidate list that may no longer match the program exactly.
class LenientReplaySource final : public DecisionSource {
 public:
  explicit LenientReplaySource(const DecisionList& decisions)
      : decisions_(decisions) {}
  std::uint32_t choose(DecisionKind, std::uint32_t bound,
                       const DecisionContext&) override {
    if (position_ >= decisions_.size()) return 0;
    return std::min(decisions_[position_++].value, bound - 1);
  }

 private:
  const DecisionList& decisions_;
  std::size_t position_ = 0;
};

class Shrinker {
 public:
  Shrinker(const Scenario& scenario, const SimOptions& options,
           const DecisionList& failing, const Failure& failure,
           ShrinkBudget budget)
      : scenario_(scenario),
        options_(options),
        target_(failure),
        budget_(budget),
        started_(std::chrono::steady_clock::now()) {
    best_.decisions = trim_unperturbed_tail(failing);
    best_.failure = failure;
  }

  ShrinkResult run() {
    // The given list may come from a strict replay; make sure it fails
    // under the lenient one too, and start from what it records.
    if (!try_candidate(best_.decisions)) return best_;
    bool improved = true;
    while (improved && !out_of_budget()) {
      improved = false;
      improved |= keep_only_late_perturbations();
      improved |= zero_chunks();
      improved |= lower_values();
      improved |= cut_tail();
      improved |= drop_chunks();
    }
    best_.budget_ran_out = out_of_budget();
    return best_;
  }

 private:
  bool out_of_budget() {
    if (best_.attempts >= budget_.attempts_max) return true;
    return std::chrono::steady_clock::now() - started_ > budget_.time_max;
  }

  // Runs `candidate`; if it fails the same way, it (as recorded) becomes
  // the best list. Returns whether it did.
  bool try_candidate(const DecisionList& candidate) {
    if (out_of_budget()) return false;
    ++best_.attempts;
    LenientReplaySource source(candidate);
    SingleRun run = run_once(scenario_, options_, source);
    if (!run.failure || !run.failure->same_kind_as(target_)) return false;
    DecisionList recorded = trim_unperturbed_tail(std::move(run.decisions));
    if (normalized_ && !smaller(recorded, best_.decisions)) return false;
    normalized_ = true;
    best_.decisions = std::move(recorded);
    best_.failure = *run.failure;
    best_.steps = run.steps;
    return true;
  }

  // Fewer perturbations first, then a shorter list, then smaller values.
  static bool smaller(const DecisionList& a, const DecisionList& b) {
    const std::size_t pa = count_perturbations(a);
    const std::size_t pb = count_perturbations(b);
    if (pa != pb) return pa < pb;
    if (a.size() != b.size()) return a.size() < b.size();
    std::uint64_t sum_a = 0;
    std::uint64_t sum_b = 0;
    for (const Decision& d : a) sum_a += d.value;
    for (const Decision& d : b) sum_b += d.value;
    return sum_a < sum_b;
  }

  // Zeroing an early perturbation changes everything after it, so noise
  // before the bug is best removed all at once: keep only the last k
  // perturbations (k = 1, 2, 4, ...), then each one alone.
  bool keep_only_late_perturbations() {
    const std::vector<std::size_t> perturbed = perturbed_positions();
    for (std::size_t keep = 1; keep < perturbed.size() && !out_of_budget();
         keep *= 2) {
      DecisionList candidate = best_.decisions;
      for (std::size_t i = 0; i + keep < perturbed.size(); ++i) {
        candidate[perturbed[i]].value = 0;
      }
      if (try_candidate(candidate)) return true;
    }
    if (perturbed.size() < 2) return false;
    for (std::size_t only : perturbed) {
      if (out_of_budget()) break;
      DecisionList candidate = best_.decisions;
      for (std::size_t position : perturbed) {
        if (position != only) candidate[position].value = 0;
      }
      if (try_candidate(candidate)) return true;
    }
    return false;
  }

  bool cut_tail() {
    // Binary search for the shortest prefix that still fails.
    bool improved = false;
    std::size_t low = 0;
    std::size_t high = best_.decisions.size();
    while (low < high && !out_of_budget()) {
      const std::size_t middle = low + (high - low) / 2;
      DecisionList candidate(
          best_.decisions.begin(),
          best_.decisions.begin() + static_cast<std::ptrdiff_t>(middle));
      if (try_candidate(candidate)) {
        improved = true;
        high = std::min(middle, best_.decisions.size());
      } else {
        low = middle + 1;
      }
    }
    return improved;
  }

  bool zero_chunks() {
    bool improved = false;
    std::vector<std::size_t> perturbed = perturbed_positions();
    for (std::size_t chunk = std::max<std::size_t>(perturbed.size() / 2, 1);
         !out_of_budget(); chunk /= 2) {
      std::size_t start = 0;
      while (start < perturbed.size() && !out_of_budget()) {
        DecisionList candidate = best_.decisions;
        const std::size_t end = std::min(start + chunk, perturbed.size());
        for (std::size_t i = start; i < end; ++i) {
          if (perturbed[i] < candidate.size())
            candidate[perturbed[i]].value = 0;
        }
        if (try_candidate(candidate)) {
          improved = true;
          perturbed = perturbed_positions();  // positions moved; start over
          start = 0;
        } else {
          start += chunk;
        }
      }
      if (chunk == 1) break;
    }
    return improved;
  }

  bool drop_chunks() {
    bool improved = false;
    for (std::size_t chunk =
             std::max<std::size_t>(best_.decisions.size() / 2, 1);
         !out_of_budget(); chunk /= 2) {
      for (std::size_t start = 0;
           start + chunk <= best_.decisions.size() && !out_of_budget();) {
        DecisionList candidate = best_.decisions;
        candidate.erase(
            candidate.begin() + static_cast<std::ptrdiff_t>(start),
            candidate.begin() + static_cast<std::ptrdiff_t>(start + chunk));
        if (try_candidate(candidate)) {
          improved = true;
        } else {
          start += chunk;
        }
      }
      if (chunk == 1) break;
    }
    return improved;
  }

  bool lower_values() {
    bool improved = false;
    for (std::size_t i = 0; i < best_.decisions.size() && !out_of_budget();
         ++i) {
      std::uint32_t value = best_.decisions[i].value;
      if (value <= 1) continue;
      // The smallest non-zero value that still fails (0 was tried already).
      std::uint32_t low = 1;
      std::uint32_t high = value;
      while (low < high && !out_of_budget()) {
        const std::uint32_t middle = low + (high - low) / 2;
        DecisionList candidate = best_.decisions;
        if (i >= candidate.size()) break;
        candidate[i].value = middle;
        if (try_candidate(candidate)) {
          improved = true;
          high = middle;
        } else {
          low = middle + 1;
        }
      }
    }
    return improved;
  }

  std::vector<std::size_t> perturbed_positions() const {
    std::vector<std::size_t> positions;
    for (std::size_t i = 0; i < best_.decisions.size(); ++i) {
      if (best_.decisions[i].perturbed()) positions.push_back(i);
    }
    return positions;
  }

  const Scenario& scenario_;
  const SimOptions& options_;
  Failure target_;
  ShrinkBudget budget_;
  std::chrono::steady_clock::time_point started_;
  ShrinkResult best_;
  bool normalized_ = false;  // best_ holds a list a run really recorded
};

}  // namespace

DecisionList trim_unperturbed_tail(DecisionList list) {
  while (!list.empty() && !list.back().perturbed()) list.pop_back();
  return list;
}

ShrinkResult shrink(const Scenario& scenario, const SimOptions& options,
                    const DecisionList& failing, const Failure& failure,
                    ShrinkBudget budget) {
  return Shrinker(scenario, options, failing, failure, budget).run();
}

}  // namespace weft::sim
