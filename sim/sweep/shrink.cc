#include "sim/sweep/shrink.h"

#include <algorithm>
#include <vector>

#include "sim/decision/replay_source.h"

namespace weft::sim {
namespace {

DecisionList trim_unperturbed_tail(DecisionList list) {
  while (!list.empty() && !list.back().perturbed()) list.pop_back();
  return list;
}

std::uint64_t value_sum(const DecisionList& list) {
  std::uint64_t sum = 0;
  for (const Decision& d : list) sum += d.value;
  return sum;
}

class Shrinker {
 public:
  Shrinker(const CandidateOracle& oracle, const Failure& failure,
           ShrinkBudget budget)
      : oracle_(oracle),
        target_(failure),
        budget_(budget),
        started_(std::chrono::steady_clock::now()) {
    result_.failure = failure;
  }

  ShrinkResult run(const Candidate& failing) {
    // Start from what the given list records under lenient replay (it may
    // come from a strict replay, or hold entries a run never reaches).
    if (!try_candidate(failing, /*first=*/true)) {
      if (const auto* sparse = std::get_if<SparseDecisions>(&failing)) {
        result_.decisions = *sparse;
      } else {
        result_.decisions =
            SparseDecisions::of(std::get<DecisionList>(failing));
      }
      return result_;
    }
    bool improved = true;
    while (improved && !out_of_budget()) {
      improved = keep_only_late_perturbations();
      if (!improved) improved = keep_only_late_by_label();
      if (!improved) improved = keep_each_alone_by_label();
      improved |= zero_chunks();
      improved |= lower_values_by_position();
      improved |= cut_tail();
      // Shifting perturbations to other moments costs a run per decision;
      // it is worth it only while more than one perturbation is left.
      if (!improved && count_perturbations(best_) > 1) improved = drop_chunks();
    }
    bool converged = false;
    bool complete = false;
    while (!out_of_budget()) {
      bool better = remove_each_by_label(complete);
      better |= lower_values_by_label();
      if (!better) {
        converged = !out_of_budget();  // a cut-short pass proves nothing
        break;
      }
    }
    result_.decisions = SparseDecisions::of(best_);
    result_.budget_ran_out = !converged;
    result_.one_minimal = converged && complete;
    return result_;
  }

 private:
  bool out_of_budget() {
    if (result_.attempts >= budget_.attempts_max) return true;
    if (!budget_.time_max) return false;
    return std::chrono::steady_clock::now() - started_ > *budget_.time_max;
  }

  // Fewer perturbations first, then a shorter list, then smaller values.
  bool smaller(const DecisionList& candidate) const {
    const std::size_t count = count_perturbations(candidate);
    const std::size_t best = count_perturbations(best_);
    if (count != best) return count < best;
    if (candidate.size() != best_.size())
      return candidate.size() < best_.size();
    return value_sum(candidate) < value_sum(best_);
  }

  // Runs `candidate`; if it fails the same way and is smaller, what it
  // recorded becomes the best. Returns whether it did.
  bool try_candidate(const Candidate& candidate, bool first = false) {
    if (out_of_budget()) return false;
    ++result_.attempts;
    CandidateRun run = oracle_(candidate);
    if (!run.failure || !run.failure->same_kind_as(target_)) return false;
    if (!first && !smaller(run.recorded)) return false;
    best_ = std::move(run.recorded);
    result_.failure = std::move(*run.failure);
    result_.steps = run.steps;
    return true;
  }

  std::vector<std::size_t> perturbed_positions() const {
    std::vector<std::size_t> positions;
    for (std::size_t i = 0; i < best_.size(); ++i) {
      if (best_[i].perturbed()) positions.push_back(i);
    }
    return positions;
  }

  // --- phase 1: by position ------------------------------------------------

  // Zeroing an early perturbation changes everything after it, so noise
  // before the bug is best removed all at once: keep only the last k
  // perturbations (k = 1, 2, 4, ...), then each one alone.
  bool keep_only_late_perturbations() {
    const std::vector<std::size_t> perturbed = perturbed_positions();
    for (std::size_t keep = 1; keep < perturbed.size() && !out_of_budget();
         keep *= 2) {
      DecisionList candidate = best_;
      for (std::size_t i = 0; i + keep < perturbed.size(); ++i) {
        candidate[perturbed[i]].value = 0;
      }
      if (try_candidate(trim_unperturbed_tail(candidate))) return true;
    }
    if (perturbed.size() < 2) return false;
    for (std::size_t only : perturbed) {
      if (out_of_budget()) break;
      DecisionList candidate = best_;
      for (std::size_t position : perturbed) {
        if (position != only) candidate[position].value = 0;
      }
      if (try_candidate(trim_unperturbed_tail(candidate))) return true;
    }
    return false;
  }

  // The same, by label: when the noise before the bug changes how many
  // decisions come before it (a thread runnable at every step asks at
  // each), the last perturbations no longer sit at their positions, but
  // their labels still name their questions (an older-store read is its
  // thread's N-th load whatever came before).
  bool keep_only_late_by_label() {
    const SparseDecisions current = SparseDecisions::of(best_);
    const std::size_t count = current.perturbed.size();
    for (std::size_t keep = 1; keep < count && !out_of_budget(); keep *= 2) {
      SparseDecisions candidate;
      candidate.perturbed.assign(
          current.perturbed.end() - static_cast<std::ptrdiff_t>(keep),
          current.perturbed.end());
      if (try_candidate(candidate)) return true;
    }
    return false;
  }

  // Each perturbation alone, named by its label: when the others changed
  // what happens before it (a duplicate numbers the messages after it,
  // a cut changes who retries), a position names another question, but
  // the label names the same message or step, or one near it: without
  // the others, what was message 60 may be message 50. So each is tried
  // at its label, then at labels 1, 2, 4 ... 32 before and after it.
  // A few runs per perturbation, so only while they are few.
  bool keep_each_alone_by_label() {
    constexpr std::size_t kAloneTriesMax = 8;
    constexpr std::int64_t kShiftMax = 32;
    const SparseDecisions current = SparseDecisions::of(best_);
    if (current.perturbed.size() < 2 ||
        current.perturbed.size() > kAloneTriesMax) {
      return false;
    }
    std::vector<std::int64_t> shifts = {0};
    for (std::int64_t shift = 1; shift <= kShiftMax; shift *= 2) {
      shifts.push_back(-shift);
      shifts.push_back(shift);
    }
    for (const std::int64_t shift : shifts) {
      for (const Decision& only : current.perturbed) {
        if (out_of_budget()) return false;
        // Labels of two parts (a step and a point in it) are not shifted.
        if (shift != 0 &&
            (label_parts(only.kind) != 1 ||
             static_cast<std::int64_t>(only.label.first) + shift < 0)) {
          continue;
        }
        SparseDecisions candidate;
        candidate.perturbed.push_back(only);
        candidate.perturbed.back().label.first = static_cast<std::uint64_t>(
            static_cast<std::int64_t>(only.label.first) + shift);
        if (try_candidate(candidate)) return true;
      }
    }
    return false;
  }

  bool zero_chunks() {
    bool improved = false;
    std::vector<std::size_t> perturbed = perturbed_positions();
    for (std::size_t chunk = std::max<std::size_t>(perturbed.size() / 2, 1);
         !out_of_budget(); chunk /= 2) {
      std::size_t start = 0;
      while (start < perturbed.size() && !out_of_budget()) {
        DecisionList candidate = best_;
        const std::size_t end = std::min(start + chunk, perturbed.size());
        for (std::size_t i = start; i < end; ++i) {
          if (perturbed[i] < candidate.size())
            candidate[perturbed[i]].value = 0;
        }
        if (try_candidate(trim_unperturbed_tail(candidate))) {
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

  bool lower_values_by_position() {
    bool improved = false;
    for (std::size_t i = 0; i < best_.size() && !out_of_budget(); ++i) {
      const std::uint32_t value = best_[i].value;
      if (value <= 1) continue;
      // The smallest non-zero value that still fails (0 was tried already).
      std::uint32_t low = 1;
      std::uint32_t high = value;
      while (low < high && !out_of_budget()) {
        const std::uint32_t middle = low + (high - low) / 2;
        DecisionList candidate = best_;
        if (i >= candidate.size()) break;
        candidate[i].value = middle;
        if (try_candidate(trim_unperturbed_tail(candidate))) {
          improved = true;
          high = middle;
        } else {
          low = middle + 1;
        }
      }
    }
    return improved;
  }

  bool cut_tail() {
    // Binary search for the shortest prefix that still fails.
    bool improved = false;
    std::size_t low = 0;
    std::size_t high = best_.size();
    while (low < high && !out_of_budget()) {
      const std::size_t middle = low + (high - low) / 2;
      DecisionList candidate(
          best_.begin(), best_.begin() + static_cast<std::ptrdiff_t>(middle));
      if (try_candidate(candidate)) {
        improved = true;
        high = std::min(middle, best_.size());
      } else {
        low = middle + 1;
      }
    }
    return improved;
  }

  // Dropping decisions shifts the ones after them earlier: the same
  // perturbations, at other moments of the run.
  bool drop_chunks() {
    bool improved = false;
    const DecisionList trimmed = trim_unperturbed_tail(best_);
    for (std::size_t chunk = std::max<std::size_t>(trimmed.size() / 2, 1);
         !out_of_budget(); chunk /= 2) {
      for (std::size_t start = 0;
           start + chunk <= best_.size() && !out_of_budget();) {
        DecisionList candidate = trim_unperturbed_tail(best_);
        if (start + chunk > candidate.size()) break;
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

  // --- phase 2: by label ---------------------------------------------------

  // Tries removing each perturbation alone; `complete` is set when every
  // one was tried without success.
  bool remove_each_by_label(bool& complete) {
    complete = false;
    bool improved = false;
    std::size_t index = 0;
    while (!out_of_budget()) {
      const SparseDecisions current = SparseDecisions::of(best_);
      if (index >= current.perturbed.size()) {
        complete = !improved;
        break;
      }
      SparseDecisions candidate;
      for (std::size_t i = 0; i < current.perturbed.size(); ++i) {
        if (i != index) candidate.perturbed.push_back(current.perturbed[i]);
      }
      if (try_candidate(candidate)) {
        improved = true;  // the same index now names the next one
      } else {
        ++index;
      }
    }
    return improved;
  }

  bool lower_values_by_label() {
    bool improved = false;
    for (std::size_t index = 0; !out_of_budget(); ++index) {
      SparseDecisions current = SparseDecisions::of(best_);
      if (index >= current.perturbed.size()) break;
      std::uint32_t low = 1;
      std::uint32_t high = current.perturbed[index].value;
      while (low < high && !out_of_budget()) {
        const std::uint32_t middle = low + (high - low) / 2;
        SparseDecisions candidate = current;
        candidate.count.reset();
        candidate.perturbed[index].value = middle;
        if (try_candidate(candidate)) {
          improved = true;
          current = SparseDecisions::of(best_);
          if (index >= current.perturbed.size()) break;
          high = current.perturbed[index].value;
        } else {
          low = middle + 1;
        }
      }
    }
    return improved;
  }

  const CandidateOracle& oracle_;
  Failure target_;
  ShrinkBudget budget_;
  std::chrono::steady_clock::time_point started_;
  DecisionList best_;  // what the best run recorded
  ShrinkResult result_;
};

}  // namespace

RunResult run_candidate(const Scenario& scenario, const SimOptions& options,
                        const Candidate& candidate, FatalReporter* reporter) {
  if (const auto* list = std::get_if<DecisionList>(&candidate)) {
    ReplaySource source(*list, ReplayMode::kLenient);
    return run_once(scenario, options, source, reporter);
  }
  return replay_sparse(scenario, options, std::get<SparseDecisions>(candidate),
                       LabelledReplaySource::Mode::kLenient, reporter);
}

ShrinkResult shrink_with(const CandidateOracle& oracle,
                         const Candidate& failing, const Failure& failure,
                         ShrinkBudget budget) {
  return Shrinker(oracle, failure, budget).run(failing);
}

ShrinkResult shrink(const Scenario& scenario, const SimOptions& options,
                    const Candidate& failing, const Failure& failure,
                    ShrinkBudget budget) {
  CandidateOracle oracle = [&scenario, &options](const Candidate& candidate) {
    RunResult run = run_candidate(scenario, options, candidate);
    CandidateRun outcome;
    outcome.failure = std::move(run.failure);
    outcome.recorded = std::move(run.decisions);
    outcome.steps = run.steps;
    return outcome;
  };
  return shrink_with(oracle, failing, failure, budget);
}

}  // namespace weft::sim
