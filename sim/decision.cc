#include "sim/decision.h"

#include <array>

namespace weft::sim {
namespace {

constexpr std::array<std::string_view, kDecisionKindCount> kNames = {
    "pick", "hold", "spurious", "spurious-task", "cancel",
    "tie",  "time", "jitter",   "bug-site",      "bug-fire",
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

std::size_t count_perturbations(const DecisionList& list) noexcept {
  std::size_t count = 0;
  for (const Decision& decision : list) count += decision.perturbed() ? 1 : 0;
  return count;
}

}  // namespace weft::sim
