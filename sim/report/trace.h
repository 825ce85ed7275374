// weft::sim::Trace: the events of one simulated run in a compact binary
// form (24 bytes each, appended without formatting), with a hash for
// determinism checks. Text is made only when a failure is reported: a
// readable timeline of the last events, and a Chrome Trace Event Format
// file that Perfetto and chrome://tracing open.
#pragma once

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

namespace weft::sim {

enum class EventKind : std::uint8_t {
  kSpawn,         // task; arg: parent task (0 = none)
  kPollStart,     // task
  kPollEnd,       // task; arg: 1 ready, 0 pending
  kWake,          // task woken; arg: waking task (0 = outside a poll)
  kWakeHeld,      // task; arg: steps held
  kWakeReleased,  // task
  kStaleWake,     // task; arg: generation of the stale waker
  kWakerClone,    // task; arg: live wakers after
  kWakerDrop,     // task; arg: live wakers after
  kSpuriousPoll,  // task
  kCancel,        // task; arg: decision index
  kComplete,      // task; arg: 1 if cancelled
  kTimerFired,    // task woken by it (0 = not a task); arg: deadline ns
  kTimeAdvanced,  // arg: new virtual time ns
  kBuggify,       // arg: source line of the site
  kFailure,       // arg: checker
  kThreadSpawn,   // task field: simulated thread; arg: spawning thread
  kThreadSwitch,  // task field: thread that runs now; arg: the one before
  kThreadBlock,   // task field: thread; arg: what it waits for (1 mutex,
                  // 2 condition variable, 3 join, 4 executor idle)
  kThreadFinish,  // task field: thread
  kNetDeliver,    // task field: receiving host; arg: message
  kNetDrop,       // task field: receiving host; arg: message, and the
                  // reason in the top byte (sim_net.cc's DropReason)
  kNetCut,        // task field: host a; arg: host b; a link cut (or, with
                  // the top bit, healed)
  kHostCrash,     // task field: host; arg: 1 crashed, 0 restarted
};

struct TraceEvent {
  std::uint64_t step;
  std::uint64_t arg;
  std::uint32_t task;
  EventKind kind;
};
static_assert(sizeof(TraceEvent) == 24, "events stay compact");

class Trace {
 public:
  Trace();
  ~Trace();
  Trace(const Trace&) = default;
  Trace& operator=(const Trace&) = default;
  Trace(Trace&&) noexcept = default;
  Trace& operator=(Trace&&) noexcept = default;
  // A trace made of events recorded elsewhere (a child process's run).
  explicit Trace(std::vector<TraceEvent> events) : events_(std::move(events)) {}

  void record(EventKind kind, std::uint64_t step, std::uint64_t task,
              std::uint64_t arg) {
    events_.push_back(
        TraceEvent{step, arg, static_cast<std::uint32_t>(task), kind});
  }
  void clear() { events_.clear(); }

  const std::vector<TraceEvent>& events() const noexcept { return events_; }
  // A 64-bit hash over every event field.
  std::uint64_t hash() const noexcept;

  // The last `count` events, one line each.
  std::string timeline(std::size_t count) const;
  // A Chrome Trace Event Format document: one track per task, polls as
  // slices, wakes as flow arrows, cancellations and failures as instants.
  // Steps are the time axis (one step = 1 microsecond).
  std::string chrome_trace_json() const;

 private:
  std::vector<TraceEvent> events_;
};

std::string describe(const TraceEvent& event);

// Index of the first event where `a` and `b` differ (or the shorter
// length if one is a prefix of the other); -1 if they are equal.
long first_divergence(const Trace& a, const Trace& b);

}  // namespace weft::sim
