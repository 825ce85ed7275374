#include "sim/report/trace.h"

#include <algorithm>
#include <cstdio>
#include <nlohmann/json.hpp>

#include "sim/report/failure.h"

namespace weft::sim {
namespace {

// An event at a time: its three words are spread by independent
// multiplies (which the CPU overlaps), then one multiply and shift chain
// the event into the hash. FNV's eight dependent multiplies per word made
// hashing a third of a simulated run's cost; it is computed for every run.
void mix(std::uint64_t& hash, const TraceEvent& event) {
  const std::uint64_t tagged = static_cast<std::uint64_t>(event.task) |
                               (static_cast<std::uint64_t>(event.kind) << 32);
  const std::uint64_t spread = event.step * 0xff51afd7ed558ccdULL ^
                               event.arg * 0xc4ceb9fe1a85ec53ULL ^
                               tagged * 0x9e3779b97f4a7c15ULL;
  hash = (hash ^ spread) * 0x2127599bf4325c37ULL;
  hash ^= hash >> 29;
}

// One spare event buffer per thread: a run's trace takes it and gives it
// back, so consecutive runs reuse memory already mapped instead of
// faulting in fresh pages every run. Buffers larger than this are freed.
constexpr std::size_t kSpareEventsMax = (16u << 20) / sizeof(TraceEvent);
thread_local std::vector<TraceEvent> spare_events;

}  // namespace

Trace::Trace() {
  events_.swap(spare_events);
  events_.clear();
  if (events_.capacity() < (1u << 12)) events_.reserve(1u << 12);
}

Trace::~Trace() {
  if (events_.capacity() <= kSpareEventsMax &&
      events_.capacity() > spare_events.capacity()) {
    events_.swap(spare_events);
  }
}

std::uint64_t Trace::hash() const noexcept {
  std::uint64_t hash = 0xcbf29ce484222325ULL;
  for (const TraceEvent& event : events_) {
    mix(hash, event);
  }
  return hash;
}

std::string describe(const TraceEvent& e) {
  char line[160];
  const auto task = static_cast<unsigned long long>(e.task);
  const auto arg = static_cast<unsigned long long>(e.arg);
  switch (e.kind) {
    case EventKind::kSpawn:
      if (arg == 0) {
        std::snprintf(line, sizeof line, "task %llu spawned (the root)", task);
      } else {
        std::snprintf(line, sizeof line, "task %llu spawned (by task %llu)",
                      task, arg);
      }
      break;
    case EventKind::kPollStart:
      std::snprintf(line, sizeof line, "task %llu polled", task);
      break;
    case EventKind::kPollEnd:
      std::snprintf(line, sizeof line, "task %llu returned %s", task,
                    arg != 0 ? "Ready" : "Pending");
      break;
    case EventKind::kWake:
      if (arg == 0) {
        std::snprintf(line, sizeof line,
                      "task %llu woken (outside any task's poll)", task);
      } else {
        std::snprintf(line, sizeof line, "task %llu woken (by task %llu)", task,
                      arg);
      }
      break;
    case EventKind::kWakeHeld:
      std::snprintf(line, sizeof line,
                    "wake of task %llu held back for %llu steps", task, arg);
      break;
    case EventKind::kWakeReleased:
      std::snprintf(line, sizeof line, "held wake of task %llu delivered",
                    task);
      break;
    case EventKind::kStaleWake:
      std::snprintf(line, sizeof line,
                    "task %llu woken through a stale waker (from poll "
                    "generation %llu): not delivered",
                    task, arg);
      break;
    case EventKind::kWakerClone:
      std::snprintf(line, sizeof line, "waker of task %llu cloned (%llu alive)",
                    task, arg);
      break;
    case EventKind::kWakerDrop:
      std::snprintf(line, sizeof line,
                    "waker of task %llu dropped (%llu alive)", task, arg);
      break;
    case EventKind::kSpuriousPoll:
      std::snprintf(line, sizeof line,
                    "task %llu queued for a spurious poll (nobody woke it)",
                    task);
      break;
    case EventKind::kCancel:
      std::snprintf(line, sizeof line,
                    "task %llu cancelled (by decision #%llu)", task, arg);
      break;
    case EventKind::kComplete:
      std::snprintf(line, sizeof line, "task %llu %s", task,
                    arg != 0 ? "dropped (cancelled)" : "completed");
      break;
    case EventKind::kTimerFired:
      std::snprintf(line, sizeof line,
                    "timer at %llu ns fired (wakes task %llu)", arg, task);
      break;
    case EventKind::kTimeAdvanced:
      std::snprintf(line, sizeof line, "virtual time -> %llu ns", arg);
      break;
    case EventKind::kBuggify:
      std::snprintf(line, sizeof line,
                    "buggify fault injected (site line %llu, task %llu)", arg,
                    task);
      break;
    case EventKind::kThreadSpawn:
      std::snprintf(line, sizeof line,
                    "simulated thread %llu spawned by thread %llu", task, arg);
      break;
    case EventKind::kThreadSwitch:
      std::snprintf(line, sizeof line,
                    "switch to simulated thread %llu (from thread %llu)", task,
                    arg);
      break;
    case EventKind::kThreadBlock: {
      static constexpr const char* kWaits[] = {
          "?", "a mutex", "a condition variable", "a join", "work (idle)"};
      std::snprintf(line, sizeof line, "simulated thread %llu waits for %s",
                    task, kWaits[arg < 5 ? arg : 0]);
      break;
    }
    case EventKind::kThreadFinish:
      std::snprintf(line, sizeof line, "simulated thread %llu finished", task);
      break;
    case EventKind::kNetDeliver:
      std::snprintf(line, sizeof line, "message %llu delivered to host %llu",
                    arg, task);
      break;
    case EventKind::kNetDrop: {
      static constexpr const char* kWhy[] = {"?",
                                             "lost (decision)",
                                             "the link is cut",
                                             "no socket",
                                             "the host is down",
                                             "the socket's queue is full",
                                             "the connection is gone"};
      const unsigned long long why = arg >> 56;
      std::snprintf(line, sizeof line, "message %llu to host %llu dropped: %s",
                    arg & ((1ULL << 56) - 1), task, kWhy[why < 7 ? why : 0]);
      break;
    }
    case EventKind::kNetCut:
      std::snprintf(line, sizeof line,
                    "link between host %llu and host %llu %s", task,
                    arg & ~(1ULL << 63), (arg >> 63) != 0 ? "healed" : "cut");
      break;
    case EventKind::kHostCrash:
      std::snprintf(line, sizeof line, "host %llu %s", task,
                    arg != 0 ? "crashed" : "restarted");
      break;
    case EventKind::kFailure:
      std::snprintf(
          line, sizeof line, "checker fired: %s",
          std::string(to_string(static_cast<Checker>(e.arg))).c_str());
      break;
  }
  return line;
}

std::string Trace::timeline(std::size_t count) const {
  std::string out;
  const std::size_t first = events_.size() > count ? events_.size() - count : 0;
  if (first > 0) {
    out += "  ... " + std::to_string(first) + " earlier events\n";
  }
  char prefix[32];
  for (std::size_t i = first; i < events_.size(); ++i) {
    std::snprintf(prefix, sizeof prefix, "  step %5llu  ",
                  static_cast<unsigned long long>(events_[i].step));
    out += prefix;
    out += describe(events_[i]);
    out += '\n';
  }
  return out;
}

std::string Trace::chrome_trace_json() const {
  // Built with a JSON library, so whatever a description holds, the file
  // stays valid.
  nlohmann::json events = nlohmann::json::array();
  std::uint64_t flow_id = 0;
  for (const TraceEvent& e : events_) {
    const std::uint64_t ts = e.step;
    const std::uint64_t tid = e.task;
    switch (e.kind) {
      case EventKind::kSpawn:
        events.push_back({{"name", "thread_name"},
                          {"ph", "M"},
                          {"pid", 1},
                          {"tid", tid},
                          {"args", {{"name", "task " + std::to_string(tid)}}}});
        break;
      case EventKind::kPollStart:
        events.push_back({{"name", "poll"},
                          {"ph", "B"},
                          {"pid", 1},
                          {"tid", tid},
                          {"ts", ts}});
        break;
      case EventKind::kPollEnd:
        events.push_back(
            {{"name", "poll"},
             {"ph", "E"},
             {"pid", 1},
             {"tid", tid},
             {"ts", ts},
             {"args", {{"result", e.arg != 0 ? "Ready" : "Pending"}}}});
        break;
      case EventKind::kWake:
        // A flow arrow from the waking task to the woken one.
        ++flow_id;
        events.push_back({{"name", "wake"},
                          {"cat", "wake"},
                          {"ph", "s"},
                          {"id", flow_id},
                          {"pid", 1},
                          {"tid", e.arg},
                          {"ts", ts}});
        events.push_back({{"name", "wake"},
                          {"cat", "wake"},
                          {"ph", "f"},
                          {"bp", "e"},
                          {"id", flow_id},
                          {"pid", 1},
                          {"tid", tid},
                          {"ts", ts}});
        break;
      case EventKind::kCancel:
      case EventKind::kFailure:
      case EventKind::kStaleWake:
      case EventKind::kSpuriousPoll:
      case EventKind::kBuggify:
      case EventKind::kNetCut:
      case EventKind::kHostCrash:
        events.push_back({{"name", describe(e)},
                          {"ph", "i"},
                          {"s", "t"},
                          {"pid", 1},
                          {"tid", tid},
                          {"ts", ts}});
        break;
      default:
        break;
    }
  }
  nlohmann::json document = {{"displayTimeUnit", "ns"},
                             {"traceEvents", std::move(events)}};
  return document.dump() + "\n";
}

long first_divergence(const Trace& a, const Trace& b) {
  const auto& x = a.events();
  const auto& y = b.events();
  const std::size_t common = std::min(x.size(), y.size());
  for (std::size_t i = 0; i < common; ++i) {
    if (x[i].step != y[i].step || x[i].arg != y[i].arg ||
        x[i].task != y[i].task || x[i].kind != y[i].kind) {
      return static_cast<long>(i);
    }
  }
  if (x.size() != y.size()) return static_cast<long>(common);
  return -1;
}

}  // namespace weft::sim
