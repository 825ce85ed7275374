#include "sim/search/exhaustive.h"

#include <algorithm>
#include <vector>

namespace weft::sim {

bool ExhaustiveExplorer::advance(const DecisionList& recorded) {
  ++runs_;
  const std::size_t limit = std::min(recorded.size(), decisions_max_);
  // Perturbations before each position, so each candidate is O(1).
  std::vector<std::uint32_t> before(limit + 1, 0);
  for (std::size_t i = 0; i < limit; ++i) {
    before[i + 1] = before[i] + (recorded[i].perturbed() ? 1 : 0);
  }
  for (std::size_t i = limit; i-- > 0;) {
    const Decision& at = recorded[i];
    if (at.value + 1 >= at.bound) continue;
    // Raising a zero adds a perturbation; raising a non-zero keeps the count.
    const std::uint32_t after_raise = before[i] + 1;
    if (after_raise > perturbations_max_) continue;
    prefix_.assign(recorded.begin(), recorded.begin() + static_cast<long>(i));
    Decision raised = at;
    raised.value = at.value + 1;
    prefix_.push_back(raised);
    return true;
  }
  prefix_.clear();
  return false;
}

}  // namespace weft::sim
