#include "sim/search/strategies.h"

#include <algorithm>

namespace weft::sim {

std::uint32_t RandomWalkSource::choose(DecisionKind kind, std::uint32_t bound,
                                       const DecisionContext& context) {
  switch (kind) {
    case DecisionKind::kSpuriousTarget:
      return prng_.uniform(bound);
    case DecisionKind::kPickTask:
    case DecisionKind::kTimerTie:
      // Reordering is itself a perturbation with a chance of its own.
      if (!prng_.chance(context.perturb_chance)) return 0;
      return prng_.uniform(bound);
    case DecisionKind::kBuggifySite:
    case DecisionKind::kBuggifyFire:
    case DecisionKind::kCancel:
    case DecisionKind::kSpuriousPoll:
    case DecisionKind::kNetLoss:
    case DecisionKind::kNetDuplicate:
    case DecisionKind::kNetReset:
      return prng_.chance(context.perturb_chance) ? 1 : 0;
    case DecisionKind::kNetDelay:
    case DecisionKind::kNetPartition:
    case DecisionKind::kClockSkew:
    case DecisionKind::kNetNemesis:
    case DecisionKind::kNetSegment:
    case DecisionKind::kHoldWake:
    case DecisionKind::kTimeStep:
    case DecisionKind::kTimerJitter:
    case DecisionKind::kCancelWaiting:
    case DecisionKind::kThreadSwitch:
    case DecisionKind::kStaleRead:
    case DecisionKind::kDiskDelay:
    case DecisionKind::kDiskFault:
    case DecisionKind::kDiskCrash:
    case DecisionKind::kDiskHalt:
      if (!prng_.chance(context.perturb_chance)) return 0;
      return 1 + prng_.uniform(bound - 1);
  }
  return 0;
}

PctSource::PctSource(std::uint64_t seed, std::uint32_t depth,
                     std::uint64_t steps_estimate,
                     std::uint64_t switch_points_estimate)
    : prng_(seed), others_(seed ^ 0x5eedf00dcafe1234ULL) {
  const std::uint64_t k = std::max<std::uint64_t>(steps_estimate, 1);
  const std::uint64_t positions = k + switch_points_estimate;
  for (std::uint32_t i = 1; i < depth; ++i) {
    const std::uint64_t position = 1 + prng_.next_u64() % positions;
    if (position <= k) {
      change_steps_.push_back(position);
    } else {
      change_switch_points_.push_back(position - k);
    }
  }
  std::sort(change_steps_.begin(), change_steps_.end());
  std::sort(change_switch_points_.begin(), change_switch_points_.end());
}

std::uint64_t PctSource::priority_of(std::vector<std::uint64_t>& table,
                                     std::uint64_t id) {
  if (id >= table.size()) table.resize(id + 1, 0);
  std::uint64_t& priority = table[id];
  // Initial priorities sit above every change-point priority (which are
  // 1..d-1), so a task lowered at a change point runs after all others.
  if (priority == 0) priority = (prng_.next_u64() | (1ULL << 62));
  return priority;
}

std::uint32_t PctSource::highest(std::vector<std::uint64_t>& table,
                                 std::span<const std::uint64_t> ids) {
  std::uint32_t best = 0;
  std::uint64_t best_priority = 0;
  for (std::uint32_t i = 0; i < ids.size(); ++i) {
    const std::uint64_t priority = priority_of(table, ids[i]);
    if (priority > best_priority) {
      best_priority = priority;
      best = i;
    }
  }
  return best;
}

bool PctSource::change_point_due(std::uint64_t step) const noexcept {
  return next_change_ < change_steps_.size() &&
         step >= change_steps_[next_change_];
}

std::uint32_t PctSource::choose(DecisionKind kind, std::uint32_t bound,
                                const DecisionContext& context) {
  if (kind == DecisionKind::kCancel || kind == DecisionKind::kCancelWaiting) {
    // A cancellation is a change point too (it counts in the depth): at a
    // due change point, a coin decides whether this one cancels or lowers
    // the priority at the pick that follows.
    if (!change_point_due(context.step) || !prng_.chance(1u << 31)) return 0;
    ++next_change_;
    return 1 + prng_.uniform(bound - 1);
  }
  const bool thread_switch = kind == DecisionKind::kThreadSwitch;
  if ((kind != DecisionKind::kPickTask && !thread_switch) ||
      context.runnable_task_ids.empty()) {
    return others_.choose(kind, bound, context);
  }
  std::vector<std::uint64_t>& table =
      thread_switch ? thread_priorities_ : priorities_;
  std::uint32_t best = highest(table, context.runnable_task_ids);
  if (thread_switch) {
    ++switch_points_seen_;
    if (next_switch_change_ < change_switch_points_.size() &&
        switch_points_seen_ >= change_switch_points_[next_switch_change_]) {
      // A change point at this operation: the thread that would run drops
      // below every other, so another runs from here on.
      ++next_switch_change_;
      table[context.runnable_task_ids[best]] =
          change_switch_points_.size() + 1 - next_switch_change_;
      best = highest(table, context.runnable_task_ids);
    }
  }
  if (change_point_due(context.step)) {
    // Change point i: the chosen task (or thread) drops to priority
    // d-1-i, below every initial priority and below earlier change points.
    ++next_change_;
    table[context.runnable_task_ids[best]] =
        change_steps_.size() + 1 - next_change_;
  }
  return best;
}

}  // namespace weft::sim
