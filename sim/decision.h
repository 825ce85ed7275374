// weft::sim::Decision: one nondeterministic choice of a simulated run. It
// has a kind, a bound n (the number of options at that point) and a value
// in [0, n); 0 is always the unperturbed choice (the first runnable task in
// FIFO order, deliver the wake now, no spurious poll, no cancellation,
// registration order for tied timers, no extra time, no injected fault).
//
// A run is a pure function of its decision list: replaying the list gives
// the same run. A list shorter than the run is padded with zeros, so a
// truncated (or empty) list is still a valid run.
#pragma once

#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace weft::sim {

enum class DecisionKind : std::uint8_t {
  kPickTask,        // which runnable task polls next (index in wake order)
  kHoldWake,        // deliver a wake now (0) or hold it back for n steps
  kSpuriousPoll,    // poll an idle task nobody woke this step: no (0) or yes
  kSpuriousTarget,  // which idle task gets the spurious poll
  kCancel,          // drop a cancellable task's future at this poll: 0 or 1
  kTimerTie,        // which of several same-deadline timers fires next
  kTimeStep,        // extra virtual time before the next step
  kTimerJitter,     // shift a timer's deadline within its window (w = none)
  kBuggifySite,     // is this buggify() call site enabled in this run
  kBuggifyFire,     // does this call of an enabled site inject its fault
};
inline constexpr int kDecisionKindCount = 10;

std::string_view to_string(DecisionKind kind) noexcept;
std::optional<DecisionKind> decision_kind_from_string(std::string_view name);

struct Decision {
  DecisionKind kind;
  std::uint32_t bound;  // options available; value < bound
  std::uint32_t value;

  bool perturbed() const noexcept { return value != 0; }
  friend bool operator==(const Decision&, const Decision&) = default;
};

using DecisionList = std::vector<Decision>;

// Number of non-zero decisions in `list`.
std::size_t count_perturbations(const DecisionList& list) noexcept;

}  // namespace weft::sim
