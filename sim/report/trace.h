// weft::sim::Trace: the events of one simulated run in a compact binary
// form (24 bytes each, appended without formatting), with a hash for
// determinism checks. Text is made only when a failure is reported
// (explain.h, perfetto.h, html_report.h). The run a report shows is
// recorded with detail (run_detail.h): the site of each event, the actors
// and messages it names, where each decision was taken.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "runtime/seam/source_location.h"
#include "sim/report/run_detail.h"

namespace weft::sim {

enum class EventKind : std::uint8_t {
  kSpawn,         // task; arg: parent task (0 = none)
  kPollStart,     // task
  kPollEnd,       // task; arg: 1 ready, 0 pending
  kWake,          // task woken; arg: waking task (0 = outside a poll),
                  // or a simulated thread (kWakeByThread | thread), or a
                  // task whose end wakes its joiner (kWakeByTaskEnd | task),
                  // or a message's arrival (kWakeByMessage | message)
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
  kThreadSwitch,  // task field: thread that runs now; arg: the one before,
                  // and where each one stopped (pack_switch below)
  kThreadBlock,   // task field: thread; arg: what it waits for (1 mutex,
                  // 2 condition variable, 3 join, 4 executor idle)
  kThreadFinish,  // task field: thread
  kNetDeliver,    // task field: receiving host; arg: message
  kNetDrop,       // task field: receiving host; arg: message, and the
                  // reason in the top byte (sim_net.cc's DropReason)
  kNetCut,        // task field: host a; arg: host b; a link cut (or, with
                  // the top bit, healed)
  kHostCrash,     // task field: host; arg: 1 crashed, 0 restarted
  kNetSend,       // task field: sending host; arg: message
  kDecision,      // arg: decision index (recorded with detail only)
  kEmptyWake,     // a wake through an empty waker (nobody was waiting):
                  // task field: the task being polled (0: none); arg: the
                  // simulated thread that woke (0: the executor)
  kThreadOp,      // task field: simulated thread; arg: its ThreadOp
                  // (recorded with detail only)
  kDiskOp,        // task field: simulated disk; arg: the storage operation
                  // that completed (its words: RunDetail::disk_ops)
  kDiskCrash,     // task field: simulated disk; arg: changes lost or torn
};

inline constexpr std::uint64_t kWakeByThread = std::uint64_t{1} << 63;
inline constexpr std::uint64_t kWakeByTaskEnd = std::uint64_t{1} << 62;
inline constexpr std::uint64_t kWakeByMessage = std::uint64_t{1} << 61;

// The weft::sync operation at which a simulated thread stopped (and so
// where it resumes), for thread-switch events.
enum class ThreadOp : std::uint8_t {
  kNone,
  kAtomicLoad,
  kAtomicStore,
  kAtomicReadModifyWrite,
  kMutexLock,
  kMutexTryLock,
  kMutexUnlock,
  kCondvarWait,
  kCondvarNotify,
  kThreadSpawn,
  kThreadJoin,
  kYield,
  kCellRead,
  kCellWrite,
  kLoopTop,  // the executor between two polls
  kIdle,     // the executor with nothing to poll
  kStart,    // a thread that has not run yet
  kFinish,   // a thread that just finished
  kFence,    // weft::sync::atomic_thread_fence
};
std::string_view to_string(ThreadOp op) noexcept;

// A thread switch's arg: the thread before, where it stopped, and where the
// next one resumes.
constexpr std::uint64_t pack_switch(std::uint32_t before, ThreadOp stopped,
                                    ThreadOp resumes) noexcept {
  return before | (static_cast<std::uint64_t>(stopped) << 32) |
         (static_cast<std::uint64_t>(resumes) << 40);
}
constexpr std::uint32_t switch_before(std::uint64_t arg) noexcept {
  return static_cast<std::uint32_t>(arg);
}
constexpr ThreadOp switch_stopped(std::uint64_t arg) noexcept {
  return static_cast<ThreadOp>((arg >> 32) & 0xff);
}
constexpr ThreadOp switch_resumes(std::uint64_t arg) noexcept {
  return static_cast<ThreadOp>((arg >> 40) & 0xff);
}

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
    if (detail_ != nullptr) [[unlikely]] {
      note_sites({}, {});
    }
  }
  // The same, with the event's source site (and a second one), kept when
  // the run is recorded with detail.
  void record(EventKind kind, std::uint64_t step, std::uint64_t task,
              std::uint64_t arg, SourceLocation site,
              SourceLocation other = {}) {
    events_.push_back(
        TraceEvent{step, arg, static_cast<std::uint32_t>(task), kind});
    if (detail_ != nullptr) [[unlikely]] {
      note_sites(site, other);
    }
  }
  void clear() { events_.clear(); }

  // Keeps detail from now on (before the first event).
  void enable_detail() { detail_ = std::make_shared<RunDetail>(); }
  // nullptr unless the run is recorded with detail.
  RunDetail* detail() noexcept { return detail_.get(); }
  const RunDetail* detail() const noexcept { return detail_.get(); }

  const std::vector<TraceEvent>& events() const noexcept { return events_; }
  // A 64-bit hash over every event field.
  std::uint64_t hash() const noexcept;

  // The last `count` events, one line each.
  std::string timeline(std::size_t count) const;

 private:
  void note_sites(SourceLocation site, SourceLocation other);

  std::vector<TraceEvent> events_;
  std::shared_ptr<RunDetail> detail_;
};

// Index of the first event where `a` and `b` differ (or the shorter
// length if one is a prefix of the other); -1 if they are equal.
long first_divergence(const Trace& a, const Trace& b);

}  // namespace weft::sim
