#include "sim/decision/decision.h"

#include <array>

namespace weft::sim {
namespace {

constexpr std::array<std::string_view, kDecisionKindCount> kNames = {
    "pick",          "hold",           "spurious",
    "spurious-task", "cancel",         "tie",
    "time",          "jitter",         "bug-site",
    "bug-fire",      "cancel-waiting", "switch",
    "delay",         "loss",           "dup",
    "reset",         "partition",      "skew",
    "nemesis",       "segment",        "stale",
    "disk-delay",    "disk-fault",     "disk-crash",
    "disk-halt",
};

}  // namespace

std::string_view to_string(DecisionKind kind) noexcept {
  const auto index = static_cast<std::size_t>(kind);
  return index < kNames.size() ? kNames[index] : "invalid";
}

std::optional<DecisionKind> decision_kind_from_string(std::string_view name) {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) return static_cast<DecisionKind>(i);
  }
  return std::nullopt;
}

std::string decision_kind_names() {
  std::string names;
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (i > 0) names += ", ";
    names += kNames[i];
  }
  return names;
}

int label_parts(DecisionKind kind) noexcept {
  switch (kind) {
    case DecisionKind::kHoldWake:
    case DecisionKind::kCancel:
    case DecisionKind::kTimerTie:
    case DecisionKind::kBuggifyFire:
    case DecisionKind::kThreadSwitch:
    case DecisionKind::kStaleRead:
      return 2;
    case DecisionKind::kPickTask:
    case DecisionKind::kSpuriousPoll:
    case DecisionKind::kSpuriousTarget:
    case DecisionKind::kTimeStep:
    case DecisionKind::kTimerJitter:
    case DecisionKind::kBuggifySite:
    case DecisionKind::kCancelWaiting:
    case DecisionKind::kNetDelay:
    case DecisionKind::kNetLoss:
    case DecisionKind::kNetDuplicate:
    case DecisionKind::kNetReset:
    case DecisionKind::kNetPartition:
    case DecisionKind::kClockSkew:
    case DecisionKind::kNetNemesis:
    case DecisionKind::kNetSegment:
    case DecisionKind::kDiskDelay:
    case DecisionKind::kDiskFault:
    case DecisionKind::kDiskCrash:
    case DecisionKind::kDiskHalt:
      return 1;
  }
  return 1;
}

std::size_t count_perturbations(const DecisionList& list) noexcept {
  std::size_t count = 0;
  for (const Decision& decision : list) count += decision.perturbed() ? 1 : 0;
  return count;
}

SparseDecisions SparseDecisions::of(const DecisionList& list) {
  SparseDecisions sparse;
  sparse.count = list.size();
  for (const Decision& decision : list) {
    if (decision.perturbed()) sparse.perturbed.push_back(decision);
  }
  return sparse;
}

}  // namespace weft::sim
