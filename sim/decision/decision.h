// weft::sim::Decision: one nondeterministic choice of a simulated run. It
// has a kind, a bound n (the number of options at that point), a value in
// [0, n), and a label that names the question independently of where it
// falls in the run. 0 is always the unperturbed choice (the first runnable
// task in FIFO order, deliver the wake now, no spurious poll, no
// cancellation, registration order for tied timers, no extra time, no
// injected fault).
//
// A run is a pure function of its decisions. A list can be replayed two
// ways (replay_source.h):
//   by position  the i-th question gets the i-th answer: exact replay of a
//                whole recorded list (decision files, exhaustive search);
//   by label     a question gets the answer recorded for its label, and 0
//                if there is none: a short list of only the perturbed
//                decisions (WEFT_DECISIONS, shrinking). Removing one
//                perturbation then leaves every other one attached to the
//                same question, instead of shifting them all.
//
// Labels, by kind (see label_parts()):
//   pick@S, spurious@S, spurious-task@S, time@S, cancel-waiting@S
//                  S = the step
//   hold@T.N       the N-th wake of task T that could be held
//   cancel@T.N     task T when it is about to be polled for the N-th time
//   tie@B.I        slot I of the B-th batch of same-deadline timers
//   jitter@A       the A-th timer armed in the run
//   bug-site@H     the buggify() call site with hash H (of file:line)
//   bug-fire@H.N   the N-th call of that site
//   switch@S.N     the N-th scheduling point of simulated threads in step S
//   delay@M, loss@M, dup@M, reset@M, partition@M
//                  M = the message (numbered in the order sent)
//   skew@H         H = the host (numbered in the order added)
//   stale@T.N      the N-th atomic load of simulated thread T
//   disk-delay@O, disk-fault@O, disk-crash@O, disk-halt@O
//                  O = the storage operation (numbered in the order begun,
//                  across the run's simulated disks)
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
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
  kCancelWaiting,   // cancel none (0) or the i-th waiting cancellable task
  kThreadSwitch,    // at a weft::sync operation: which simulated thread runs
                    // (0 = the one running, or the lowest-numbered one when
                    // it blocked)
  kNetDelay,        // extra latency of a simulated message, in delay steps
  kNetLoss,         // drop this datagram: 0 or 1
  kNetDuplicate,    // deliver this datagram twice: 0 or 1
  kNetReset,        // reset the connection instead of delivering: 0 or 1
  kNetPartition,    // cut the sender's link to the receiver for k steps
  kClockSkew,       // a host's clock offset (0 none, then +1.., then -1..)
  kNetNemesis,      // a fault across the network as message M is sent:
                    // isolate, split, bridge, clock jump, crash-restart
                    // (sim/net/nemesis.h)
  kNetSegment,      // a stream write sent whole (0) or as two segments, the
                    // first ending at choice k of bound spread over its bytes
  kStaleRead,       // a weft::sync::atomic load reads the newest store (0)
                    // or the k-th older one the memory model lets it see
  kDiskDelay,       // extra latency of a storage operation, in delay steps
  kDiskFault,       // an injected I/O fault: none (0), or the k-th the
                    // operation admits (sim/storage/disk_faults.h)
  kDiskCrash,       // at a crash, what becomes of a change not yet synced:
                    // kept (0), lost (1), or torn after k-2 sectors
  kDiskHalt,        // a host that declared on_restart crashes as one of its
                    // storage operations begins (0 no; k: restarts k
                    // nemesis steps later)
};
inline constexpr int kDecisionKindCount = 25;

std::string_view to_string(DecisionKind kind) noexcept;
std::optional<DecisionKind> decision_kind_from_string(std::string_view name);
// "pick, hold, ..." for error messages.
std::string decision_kind_names();

// What names a question within one run (see the table above); `second` is
// 0 for kinds whose label has one part.
struct DecisionLabel {
  std::uint64_t first = 0;
  std::uint32_t second = 0;
  friend bool operator==(const DecisionLabel&, const DecisionLabel&) = default;
  friend auto operator<=>(const DecisionLabel&, const DecisionLabel&) = default;
};

// 1 or 2: how many numbers the label of `kind` has.
int label_parts(DecisionKind kind) noexcept;

struct Decision {
  DecisionKind kind = DecisionKind::kPickTask;
  std::uint32_t bound = 0;  // options available; value < bound
  std::uint32_t value = 0;
  DecisionLabel label;

  bool perturbed() const noexcept { return value != 0; }
  friend bool operator==(const Decision&, const Decision&) = default;
};

using DecisionList = std::vector<Decision>;

// Number of non-zero decisions in `list`.
std::size_t count_perturbations(const DecisionList& list) noexcept;

// A run's perturbations only, each with its label, and the number of
// decisions the whole run made (its replay must make as many; nullopt
// accepts any). This is what WEFT_DECISIONS holds and what shrinking works
// on.
struct SparseDecisions {
  std::optional<std::uint64_t> count;
  // Non-zero decisions, in the order the run made them.
  std::vector<Decision> perturbed;

  static SparseDecisions of(const DecisionList& list);
  friend bool operator==(const SparseDecisions&,
                         const SparseDecisions&) = default;
};

}  // namespace weft::sim
