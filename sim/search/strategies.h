// The decision sources a seed sweep uses (see decision_source.h):
//
//   FifoSource        always the unperturbed choice: what a real
//                     single-threaded executor does.
//   RandomWalkSource  every choice at random, each perturbation with the
//                     chance the run's options give it.
//   PctSource         Probabilistic Concurrency Testing (Burckhardt, Kothari,
//                     Musuvathi, Nagarakatte, "A Randomized Scheduler with
//                     Probabilistic Guarantees of Finding Bugs", ASPLOS
//                     2010): every task gets a random priority when first
//                     seen, the highest-priority runnable task always runs,
//                     and at d-1 random steps the running task drops below
//                     all others. Finds any bug of depth d with probability
//                     at least 1/(n k^(d-1)). A cancellation takes one of
//                     the d-1 change points (it is one more ordering
//                     constraint); other perturbations are random as in
//                     RandomWalkSource. Simulated threads get priorities
//                     of their own and the same rule at every scheduling
//                     point; change points fall on steps or on those points
//                     (a change point at a point preempts the thread there).
// Each is a pure function of its seed and the questions asked.
#pragma once

#include <cstdint>
#include <span>
#include <vector>

#include "sim/decision/decision_source.h"
#include "sim/decision/prng.h"

namespace weft::sim {

class FifoSource final : public DecisionSource {
 public:
  std::uint32_t choose(DecisionKind, std::uint32_t,
                       const DecisionContext&) override {
    return 0;
  }
};

class RandomWalkSource final : public DecisionSource {
 public:
  explicit RandomWalkSource(std::uint64_t seed) : prng_(seed) {}
  std::uint32_t choose(DecisionKind kind, std::uint32_t bound,
                       const DecisionContext& context) override;

 private:
  Prng prng_;
};

class PctSource final : public DecisionSource {
 public:
  // `depth` is d (>= 1); `steps_estimate` is k, the expected run length in
  // steps, and `switch_points_estimate` the expected number of simulated
  // thread scheduling points; the d-1 change points are spread over both.
  PctSource(std::uint64_t seed, std::uint32_t depth,
            std::uint64_t steps_estimate,
            std::uint64_t switch_points_estimate = 0);
  std::uint32_t choose(DecisionKind kind, std::uint32_t bound,
                       const DecisionContext& context) override;
  bool wants_runnable_task_ids() const noexcept override { return true; }

 private:
  std::uint64_t priority_of(std::vector<std::uint64_t>& table,
                            std::uint64_t id);
  std::uint32_t highest(std::vector<std::uint64_t>& table,
                        std::span<const std::uint64_t> ids);
  bool change_point_due(std::uint64_t step) const noexcept;

  Prng prng_;
  RandomWalkSource others_;
  // Priorities indexed by task id (ids are small and dense).
  std::vector<std::uint64_t> priorities_;
  std::vector<std::uint64_t> thread_priorities_;  // by simulated thread id
  std::vector<std::uint64_t> change_steps_;       // ascending
  std::size_t next_change_ = 0;                   // change points are at steps
  // Change points at simulated-thread scheduling points (by their index).
  std::vector<std::uint64_t> change_switch_points_;  // ascending
  std::size_t next_switch_change_ = 0;
  std::uint64_t switch_points_seen_ = 0;
};

}  // namespace weft::sim
