#include "sim/report/perfetto.h"

#include <map>
#include <nlohmann/json.hpp>
#include <set>

#include "sim/decision/decision_io.h"
#include "sim/report/event_text.h"
#include "sim/report/site_text.h"

namespace weft::sim {
namespace {

using nlohmann::json;

// Process ids of the track groups.
constexpr int kTasks = 1;
constexpr int kThreads = 2;
constexpr int kHosts = 3;
constexpr int kDecisions = 4;
constexpr int kDisks = 5;

// Flow ids: wakes count up from 1, messages are offset by this.
constexpr std::uint64_t kMessageFlows = std::uint64_t{1} << 40;

const char* role_name(EventRole role) {
  switch (role) {
    case EventRole::kDecisive:
      return "decisive";
    case EventRole::kEffect:
      return "effect of a perturbed decision";
    case EventRole::kCulprit:
      return "culprit";
    case EventRole::kContext:
      break;
  }
  return "context";
}

class Writer {
 public:
  Writer(const Trace& trace, const DecisionList& decisions,
         const Explanation& explanation)
      : trace_(trace),
        decisions_(decisions),
        explanation_(explanation),
        times_(event_times(trace)) {}

  json write() {
    const auto& events = trace_.events();
    for (std::size_t i = 0; i < events.size(); ++i) add(i);
    close_open_slices(events.size());
    name_tracks();
    return json{
        {"displayTimeUnit", "ns"},
        {"traceEvents", std::move(out_)},
        {"otherData",
         {{"tool", "weft"}, {"time axis", "event index (1 event = 1 us)"}}}};
  }

 private:
  json args_of(std::size_t index) const {
    const TraceEvent& event = trace_.events()[index];
    json args = {{"step", event.step},
                 {"virtual time", duration_text(times_[index])},
                 {"event", event_in_words(trace_, index, decisions_)}};
    if (const RunDetail* detail = trace_.detail()) {
      const SourceLocation& site = detail->site_of(index);
      if (site.known()) args["site"] = site_text(site);
    }
    if (index < explanation_.roles.size() &&
        explanation_.roles[index] != EventRole::kContext) {
      args["role"] = role_name(explanation_.roles[index]);
    }
    return args;
  }

  void instant(std::size_t index, int pid, std::uint64_t tid,
               const std::string& name, const char* scope = "t") {
    out_.push_back({{"name", name},
                    {"ph", "i"},
                    {"s", scope},
                    {"pid", pid},
                    {"tid", tid},
                    {"ts", index},
                    {"args", args_of(index)}});
    seen_[pid].insert(tid);
  }

  void flow(std::size_t index, std::uint64_t id, const char* name,
            const char* phase, int pid, std::uint64_t tid) {
    json event = {{"name", name}, {"cat", name}, {"ph", phase}, {"id", id},
                  {"pid", pid},   {"tid", tid},  {"ts", index}};
    if (phase[0] == 'f') event["bp"] = "e";
    out_.push_back(std::move(event));
    seen_[pid].insert(tid);
  }

  void slice(std::size_t index, int pid, std::uint64_t tid, const char* name,
             const char* phase) {
    json event = {{"name", name},
                  {"ph", phase},
                  {"pid", pid},
                  {"tid", tid},
                  {"ts", index}};
    if (phase[0] == 'B') event["args"] = args_of(index);
    out_.push_back(std::move(event));
    seen_[pid].insert(tid);
  }

  void add(std::size_t i) {
    const TraceEvent& e = trace_.events()[i];
    const std::string words = event_in_words(trace_, i, decisions_);
    switch (e.kind) {
      case EventKind::kPollStart:
        slice(i, kTasks, e.task, "poll", "B");
        open_polls_.insert(e.task);
        return;
      case EventKind::kPollEnd:
        if (open_polls_.erase(e.task) > 0) {
          slice(i, kTasks, e.task, "poll", "E");
        }
        if (e.arg == 0) instant(i, kTasks, e.task, words);
        return;
      case EventKind::kWake:
      case EventKind::kTimerFired: {
        const std::uint64_t id = ++wake_flows_;
        if (e.kind == EventKind::kWake && (e.arg & kWakeByMessage) != 0) {
          instant(i, kTasks, e.task, words);  // the message's arrow says it
          return;
        }
        if (e.kind == EventKind::kWake && (e.arg & kWakeByThread) != 0) {
          flow(i, id, "wake", "s", kThreads, e.arg & 0xffffffffu);
        } else if (e.kind == EventKind::kWake && e.arg != 0) {
          flow(i, id, "wake", "s", kTasks, e.arg & 0xffffffffu);
        } else {
          flow(i, id, "wake", "s", kTasks, 0);
        }
        flow(i, id, "wake", "f", kTasks, e.task);
        instant(i, kTasks, e.task, words);
        return;
      }
      case EventKind::kThreadSwitch: {
        const std::uint32_t before = switch_before(e.arg);
        if (!threads_running_) {
          // Thread 0 ran from the start until the first switch.
          threads_running_ = true;
          out_.push_back({{"name", "runs"},
                          {"ph", "B"},
                          {"pid", kThreads},
                          {"tid", 0},
                          {"ts", 0}});
          open_runs_.insert(0);
        }
        if (open_runs_.erase(before) > 0) {
          slice(i, kThreads, before, "runs", "E");
        }
        slice(i, kThreads, e.task, "runs", "B");
        open_runs_.insert(e.task);
        return;
      }
      case EventKind::kThreadSpawn:
      case EventKind::kThreadBlock:
      case EventKind::kThreadFinish:
      case EventKind::kThreadOp:
        instant(i, kThreads, e.task, words);
        return;
      case EventKind::kNetSend:
        flow(i, kMessageFlows + e.arg, "message", "s", kHosts, e.task);
        instant(i, kHosts, e.task, words);
        return;
      case EventKind::kNetDeliver:
        flow(i, kMessageFlows + e.arg, "message", "f", kHosts, e.task);
        instant(i, kHosts, e.task, words);
        return;
      case EventKind::kNetDrop:
        instant(i, kHosts, e.task, words);
        return;
      case EventKind::kNetCut:
      case EventKind::kHostCrash:
        instant(i, kHosts, e.task, words);
        return;
      case EventKind::kDiskOp:
      case EventKind::kDiskCrash:
        instant(i, kDisks, e.task, words);
        return;
      case EventKind::kDecision:
        if (e.arg < decisions_.size() && decisions_[e.arg].perturbed()) {
          instant(i, kDecisions, 1, format_decision(decisions_[e.arg]), "g");
        }
        return;
      case EventKind::kFailure:
        instant(i, kDecisions, 1, words, "g");
        return;
      case EventKind::kCancel:
      case EventKind::kComplete:
      case EventKind::kSpawn:
      case EventKind::kSpuriousPoll:
      case EventKind::kStaleWake:
      case EventKind::kWakeHeld:
      case EventKind::kWakeReleased:
      case EventKind::kBuggify:
        instant(i, kTasks, e.task, words);
        return;
      case EventKind::kEmptyWake:
        if (e.task != 0) {
          instant(i, kTasks, e.task, words);
        } else {
          instant(i, kThreads, e.arg, words);
        }
        return;
      case EventKind::kWakerClone:
      case EventKind::kWakerDrop:
      case EventKind::kTimeAdvanced:
        return;  // in the timeline text; too many for tracks
    }
  }

  void close_open_slices(std::size_t end) {
    for (std::uint64_t task : open_polls_) {
      out_.push_back({{"name", "poll"},
                      {"ph", "E"},
                      {"pid", kTasks},
                      {"tid", task},
                      {"ts", end}});
    }
    for (std::uint64_t thread : open_runs_) {
      out_.push_back({{"name", "runs"},
                      {"ph", "E"},
                      {"pid", kThreads},
                      {"tid", thread},
                      {"ts", end}});
    }
  }

  void name(int pid, std::uint64_t tid, const std::string& name) {
    out_.push_back({{"name", "thread_name"},
                    {"ph", "M"},
                    {"pid", pid},
                    {"tid", tid},
                    {"args", {{"name", name}}}});
  }

  void name_tracks() {
    static const std::map<int, const char*> kGroups = {
        {kTasks, "tasks"},
        {kThreads, "simulated threads"},
        {kHosts, "simulated hosts"},
        {kDecisions, "decisions and the failure"},
        {kDisks, "simulated disks"}};
    const RunDetail* detail = trace_.detail();
    for (const auto& [pid, tids] : seen_) {
      out_.push_back({{"name", "process_name"},
                      {"ph", "M"},
                      {"pid", pid},
                      {"args", {{"name", kGroups.at(pid)}}}});
      out_.push_back({{"name", "process_sort_index"},
                      {"ph", "M"},
                      {"pid", pid},
                      {"args", {{"sort_index", pid}}}});
      for (std::uint64_t tid : tids) {
        if (pid == kTasks) {
          name(pid, tid,
               tid == 0 ? std::string("outside any task")
                        : task_in_words(detail, tid));
        } else if (pid == kThreads) {
          name(pid, tid,
               tid == 0 ? std::string("thread 0 (the executor)")
                        : "thread " + std::to_string(tid));
        } else if (pid == kHosts) {
          std::string host = "host " + std::to_string(tid);
          if (detail != nullptr && tid >= 1 && tid <= detail->hosts.size() &&
              !detail->hosts[tid - 1].name.empty()) {
            host = detail->hosts[tid - 1].name;
          }
          name(pid, tid, host);
        } else if (pid == kDisks) {
          std::string disk = "disk " + std::to_string(tid);
          if (detail != nullptr && tid >= 1 && tid <= detail->disks.size() &&
              !detail->disks[tid - 1].name.empty()) {
            disk = detail->disks[tid - 1].name;
          }
          name(pid, tid, disk);
        } else {
          name(pid, tid, "perturbed decisions");
        }
      }
    }
  }

  const Trace& trace_;
  const DecisionList& decisions_;
  const Explanation& explanation_;
  std::vector<std::int64_t> times_;
  json out_ = json::array();
  std::map<int, std::set<std::uint64_t>> seen_;
  std::set<std::uint64_t> open_polls_;
  std::set<std::uint64_t> open_runs_;
  bool threads_running_ = false;
  std::uint64_t wake_flows_ = 0;
};

}  // namespace

std::string perfetto_json(const Trace& trace, const DecisionList& decisions,
                          const Explanation& explanation) {
  // Built with a JSON library, so whatever a description holds, the file
  // stays valid.
  return Writer(trace, decisions, explanation).write().dump() + "\n";
}

}  // namespace weft::sim
