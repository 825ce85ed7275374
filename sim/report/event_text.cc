#include "sim/report/event_text.h"

#include <cstdio>
#include <string_view>

#include "sim/decision/decision_io.h"
#include "sim/report/failure.h"
#include "sim/report/site_text.h"

namespace weft::sim {
namespace {

std::string number(std::uint64_t value) { return std::to_string(value); }

// " at tests/x.cc:12", or nothing when the site is unknown.
std::string at(const SourceLocation& site) {
  return site.known() ? " at " + site_text(site) : std::string();
}

const SourceLocation& site_of(const RunDetail* detail, std::size_t index) {
  static const SourceLocation kNone{};
  return detail != nullptr ? detail->site_of(index) : kNone;
}

std::string host_in_words(const RunDetail* detail, std::uint64_t host) {
  if (detail != nullptr && host >= 1 && host <= detail->hosts.size() &&
      !detail->hosts[host - 1].name.empty()) {
    return detail->hosts[host - 1].name;
  }
  return "host " + number(host);
}

std::string disk_in_words(const RunDetail* detail, std::uint64_t disk) {
  if (detail != nullptr && disk >= 1 && disk <= detail->disks.size() &&
      !detail->disks[disk - 1].name.empty()) {
    return detail->disks[disk - 1].name;
  }
  return "disk " + number(disk);
}

// A storage operation by its words, when the run kept them.
std::string disk_op_in_words(const RunDetail* detail, std::uint64_t op) {
  if (detail != nullptr && op >= 1 && op <= detail->disk_ops.size() &&
      !detail->disk_ops[op - 1].empty()) {
    return detail->disk_ops[op - 1];
  }
  return "storage operation " + number(op);
}

// What a decision did in words, when only the code that took it could say.
const std::string* decision_words(const RunDetail* detail, std::size_t index) {
  return detail != nullptr && index < detail->decision_words.size() &&
                 !detail->decision_words[index].empty()
             ? &detail->decision_words[index]
             : nullptr;
}

std::string thread_in_words(std::uint64_t thread) {
  return thread == 0 ? "thread 0 (the executor)" : "thread " + number(thread);
}

const char* wait_in_words(std::uint64_t wait) {
  static constexpr const char* kWaits[] = {
      "?", "a mutex", "a condition variable", "a join", "work (idle)"};
  return kWaits[wait < 5 ? wait : 0];
}

const char* drop_reason(std::uint64_t why) {
  static constexpr const char* kWhy[] = {"?",
                                         "lost (decision)",
                                         "the link is cut",
                                         "no socket is bound there",
                                         "the host is down",
                                         "the socket's queue is full",
                                         "the connection is gone"};
  return kWhy[why < 7 ? why : 0];
}

// " read 2, wrote 3": what an atomic operation saw and left, when known.
std::string values_in_words(const RunDetail* detail, std::size_t event) {
  const AtomicValues* values =
      detail != nullptr ? detail->values_of(event) : nullptr;
  if (values == nullptr) return {};
  auto text = [&](std::uint64_t value) {
    return values->is_signed ? std::to_string(static_cast<std::int64_t>(value))
                             : std::to_string(value);
  };
  std::string out;
  if (values->loaded) out += " read " + text(values->load);
  if (values->stored) {
    out += (values->loaded ? ", wrote " : " wrote ") + text(values->store);
  }
  return out;
}

std::string thread_stop_in_words(ThreadOp op, const SourceLocation& site) {
  std::string out(to_string(op));
  if (site.known()) out += " (" + site_text(site) + ")";
  return out;
}

// The ids a decision chose between, when the run recorded them.
const std::vector<std::uint64_t>* choices_of(const RunDetail* detail,
                                             std::size_t decision) {
  if (detail == nullptr || decision >= detail->decision_choices.size()) {
    return nullptr;
  }
  const auto& choices = detail->decision_choices[decision];
  return choices.empty() ? nullptr : &choices;
}

std::string times_unit(const RunDetail* detail, DecisionKind kind,
                       std::uint64_t steps) {
  const std::int64_t unit =
      detail != nullptr ? detail->units.step_ns[static_cast<int>(kind)] : 0;
  if (unit <= 0) return number(steps) + " step(s)";
  return number(steps) + " x " + duration_text(unit) + " = " +
         duration_text(unit * static_cast<std::int64_t>(steps));
}

std::string event_words(const TraceEvent& e, std::size_t index,
                        const RunDetail* detail,
                        const DecisionList* decisions) {
  const std::uint64_t task = e.task;
  const std::uint64_t arg = e.arg;
  const SourceLocation& site = site_of(detail, index);
  switch (e.kind) {
    case EventKind::kSpawn:
      // The root is spawned by the simulator itself: no site of the user's.
      return "task " + number(task) + " spawned " +
             (arg == 0 ? std::string("(the root)")
                       : "by task " + number(arg) + at(site));
    case EventKind::kPollStart:
      return "task " + number(task) + " polled";
    case EventKind::kPollEnd:
      if (arg != 0) return "task " + number(task) + " returned Ready";
      return "task " + number(task) + " returned Pending" +
             (site.known() ? ", parked at " + site_text(site) : "");
    case EventKind::kWake: {
      std::string out = "task " + number(task) + " woken ";
      if ((arg & kWakeByThread) != 0) {
        out += "by simulated " + thread_in_words(arg & 0xffffffffu);
      } else if ((arg & kWakeByMessage) != 0) {
        out += "by the arrival of message " +
               number(arg & ~(kWakeByThread | kWakeByTaskEnd | kWakeByMessage));
      } else if ((arg & kWakeByTaskEnd) != 0) {
        out += "by the end of task " + number(arg & 0xffffffffu) +
               ", which it awaits";
      } else if (arg == 0) {
        out += "from outside any task's poll";
      } else {
        out += "by task " + number(arg);
      }
      return out + at(site);
    }
    case EventKind::kWakeHeld:
      return "wake of task " + number(task) + " held back for " + number(arg) +
             " step(s)";
    case EventKind::kWakeReleased:
      return "held wake of task " + number(task) + " delivered";
    case EventKind::kStaleWake:
      return "task " + number(task) +
             " woken through a stale waker (from poll generation " +
             number(arg) + "): not delivered";
    case EventKind::kWakerClone:
      return "waker of task " + number(task) + " cloned (" + number(arg) +
             " alive)";
    case EventKind::kWakerDrop:
      return "waker of task " + number(task) + " dropped (" + number(arg) +
             " alive)";
    case EventKind::kSpuriousPoll:
      return "task " + number(task) +
             " queued for a spurious poll (nobody woke it)";
    case EventKind::kCancel:
      return "task " + number(task) + " cancelled by decision #" + number(arg) +
             (site.known() ? " while parked at " + site_text(site) : "");
    case EventKind::kComplete:
      return "task " + number(task) +
             (arg != 0 ? " dropped (cancelled)" : " completed");
    case EventKind::kTimerFired:
      return std::string(site.known() ? "timer armed at " + site_text(site)
                                      : std::string("a timer")) +
             " fired at " + duration_text(static_cast<std::int64_t>(arg)) +
             ", waking task " + number(task);
    case EventKind::kTimeAdvanced:
      return "virtual time -> " + duration_text(static_cast<std::int64_t>(arg));
    case EventKind::kBuggify:
      return "buggify fault injected" +
             (site.known() ? at(site) : " (site line " + number(arg) + ")") +
             (task != 0 ? " in task " + number(task) : "");
    case EventKind::kThreadSpawn:
      return "simulated thread " + number(task) + " spawned by " +
             thread_in_words(arg) + at(site);
    case EventKind::kThreadSwitch: {
      const std::uint32_t before = switch_before(arg);
      const SourceLocation& resumes =
          detail != nullptr ? detail->other_site_of(index) : site;
      return "switch: " + thread_in_words(before) + " stops at " +
             thread_stop_in_words(switch_stopped(arg), site) + "; " +
             thread_in_words(task) + " resumes at " +
             thread_stop_in_words(switch_resumes(arg), detail != nullptr
                                                           ? resumes
                                                           : SourceLocation{});
    }
    case EventKind::kThreadBlock:
      return "simulated " + thread_in_words(task) + " waits for " +
             wait_in_words(arg) + at(site);
    case EventKind::kThreadFinish:
      return "simulated " + thread_in_words(task) + " finished";
    case EventKind::kThreadOp:
      return thread_in_words(task) + ": " +
             std::string(to_string(static_cast<ThreadOp>(arg))) +
             values_in_words(detail, index) + at(site);
    case EventKind::kNetSend:
      return host_in_words(detail, task) + " sends " +
             message_in_words(detail, arg);
    case EventKind::kNetDeliver:
      return message_in_words(detail, arg) + " delivered to " +
             host_in_words(detail, task);
    case EventKind::kNetDrop:
      return message_in_words(detail, arg & ((1ULL << 56) - 1)) + " to " +
             host_in_words(detail, task) +
             " dropped: " + drop_reason(arg >> 56);
    case EventKind::kNetCut:
      return "link between " + host_in_words(detail, task) + " and " +
             host_in_words(detail, arg & ~(1ULL << 63)) +
             ((arg >> 63) != 0 ? " healed" : " cut");
    case EventKind::kHostCrash:
      return host_in_words(detail, task) +
             (arg != 0 ? " crashed" : " restarted");
    case EventKind::kDiskOp:
      return disk_in_words(detail, task) + ": " + disk_op_in_words(detail, arg);
    case EventKind::kDiskCrash:
      return disk_in_words(detail, task) + " crashed: " + number(arg) +
             " change" + (arg == 1 ? "" : "s") +
             " not synced lost or torn, the rest kept";
    case EventKind::kDecision: {
      if (decisions == nullptr || arg >= decisions->size()) {
        return "decision #" + number(arg);
      }
      return "decision #" + number(arg) + " " +
             format_decision((*decisions)[arg]);
    }
    case EventKind::kEmptyWake:
      return "a wake" + (site.known() ? at(site) : std::string()) +
             " found no stored waker: nobody was waiting there" +
             (task != 0  ? " (in task " + number(task) + "'s poll)"
              : arg != 0 ? " (on simulated " + thread_in_words(arg) + ")"
                         : "");
    case EventKind::kFailure:
      return "checker fired: " +
             std::string(to_string(static_cast<Checker>(arg))) + at(site);
  }
  return "event of kind " + number(static_cast<std::uint64_t>(e.kind));
}

}  // namespace

std::string_view to_string(ThreadOp op) noexcept {
  switch (op) {
    case ThreadOp::kNone:
      return "an operation";
    case ThreadOp::kAtomicLoad:
      return "an atomic load";
    case ThreadOp::kAtomicStore:
      return "an atomic store";
    case ThreadOp::kAtomicReadModifyWrite:
      return "an atomic read-modify-write";
    case ThreadOp::kMutexLock:
      return "a mutex lock";
    case ThreadOp::kMutexTryLock:
      return "a mutex try_lock";
    case ThreadOp::kMutexUnlock:
      return "a mutex unlock";
    case ThreadOp::kCondvarWait:
      return "a condition variable wait";
    case ThreadOp::kCondvarNotify:
      return "a condition variable notify";
    case ThreadOp::kThreadSpawn:
      return "a thread spawn";
    case ThreadOp::kThreadJoin:
      return "a thread join";
    case ThreadOp::kYield:
      return "a yield";
    case ThreadOp::kCellRead:
      return "a Cell read";
    case ThreadOp::kCellWrite:
      return "a Cell write";
    case ThreadOp::kLoopTop:
      return "the executor's loop (between polls)";
    case ThreadOp::kIdle:
      return "the executor's idle wait";
    case ThreadOp::kStart:
      return "its start";
    case ThreadOp::kFinish:
      return "its end";
    case ThreadOp::kFence:
      return "an atomic fence";
  }
  return "an operation";
}

std::string duration_text(std::int64_t nanoseconds) {
  char text[48];
  if (nanoseconds == 0) return "0 ms";
  const double value = static_cast<double>(nanoseconds);
  const bool negative = nanoseconds < 0;
  const double size = negative ? -value : value;
  if (size >= 1e9) {
    std::snprintf(text, sizeof text, "%.4g s", value / 1e9);
  } else if (size >= 1e6) {
    std::snprintf(text, sizeof text, "%.4g ms", value / 1e6);
  } else if (size >= 1e3) {
    std::snprintf(text, sizeof text, "%.4g us", value / 1e3);
  } else {
    std::snprintf(text, sizeof text, "%lld ns",
                  static_cast<long long>(nanoseconds));
  }
  return text;
}

std::string describe(const TraceEvent& event) {
  return event_words(event, static_cast<std::size_t>(-1), nullptr, nullptr);
}

std::string event_in_words(const Trace& trace, std::size_t index,
                           const DecisionList& decisions) {
  const TraceEvent& event = trace.events()[index];
  std::string out = event_words(event, index, trace.detail(), &decisions);
  if (event.kind == EventKind::kDecision && event.arg < decisions.size()) {
    out += ": " + decision_in_words(trace, decisions, event.arg);
  }
  return out;
}

std::string task_in_words(const RunDetail* detail, std::uint64_t id) {
  std::string out = "task " + number(id);
  if (detail == nullptr || id == 0 || id > detail->tasks.size()) return out;
  const ActorDetail& task = detail->tasks[id - 1];
  if (id == 1) return out + " (the root)";
  if (task.created_at.known()) {
    out += " (spawned at " + site_text(task.created_at) + ")";
  }
  return out;
}

std::string message_in_words(const RunDetail* detail, std::uint64_t id) {
  std::string out = "message " + number(id);
  const MessageDetail* message =
      detail != nullptr ? detail->message(id) : nullptr;
  if (message == nullptr) return out;
  out += " (host " + number(message->from_host) + " " + message->from +
         " -> host " + number(message->to_host) + " " + message->to + ", " +
         message->kind;
  if (message->connection != 0) {
    out += " on connection " + number(message->connection);
  }
  if (message->kind == "data" || message->kind == "datagram") {
    out += ", " + number(message->bytes) + " byte" +
           (message->bytes == 1 ? "" : "s");
    if (!message->content.empty()) out += " " + message->content;
  }
  if (message->duplicate_of != 0) {
    out += ", a duplicate of message " + number(message->duplicate_of);
  }
  return out + ")";
}

namespace {

// ", which stops at a mutex lock (x.cc:45)": where the thread a switch
// decision passed over was stopped, read from the switch that followed.
std::string preempted_at(const Trace& trace, std::size_t decision) {
  const RunDetail* detail = trace.detail();
  if (detail == nullptr || decision >= detail->decision_events.size()) {
    return {};
  }
  const auto& events = trace.events();
  // The switch is recorded right after its decision; a few events of
  // bookkeeping may come between.
  constexpr std::size_t kLookAhead = 4;
  const std::size_t from = detail->decision_events[decision] + 1;
  for (std::size_t i = from; i < events.size() && i < from + kLookAhead; ++i) {
    if (events[i].kind != EventKind::kThreadSwitch) continue;
    return ", which stops at " +
           thread_stop_in_words(switch_stopped(events[i].arg),
                                detail->site_of(i)) +
           ",";
  }
  return {};
}

}  // namespace

std::string decision_in_words(const Trace& trace, const DecisionList& decisions,
                              std::size_t index) {
  const Decision& d = decisions[index];
  const RunDetail* detail = trace.detail();
  const std::vector<std::uint64_t>* choices = choices_of(detail, index);
  const std::uint64_t first = d.label.first;
  const std::uint32_t second = d.label.second;
  switch (d.kind) {
    case DecisionKind::kPickTask:
      if (choices != nullptr && d.value < choices->size()) {
        return task_in_words(detail, (*choices)[d.value]) +
               " polled first at step " + number(first) + ", ahead of " +
               task_in_words(detail, (*choices)[0]) +
               " (woken earlier; FIFO polls it first)" +
               (choices->size() > 2
                    ? " and " + number(choices->size() - 2) + " other(s)"
                    : "");
      }
      return "at step " + number(first) + " the runnable task in position " +
             number(d.value) + " of " + number(d.bound) +
             " polled first (FIFO: position 0)";
    case DecisionKind::kHoldWake:
      return "wake number " + number(second) + " of " +
             task_in_words(detail, first) + " held back for " +
             number(d.value) + " step(s)";
    case DecisionKind::kSpuriousPoll:
      return "a task is polled at step " + number(first) +
             " though nobody woke it (a spurious poll)";
    case DecisionKind::kSpuriousTarget:
      if (choices != nullptr && d.value < choices->size()) {
        return task_in_words(detail, (*choices)[d.value]) +
               " gets the spurious poll";
      }
      return "the idle task in position " + number(d.value) +
             " gets the spurious poll";
    case DecisionKind::kCancel:
      return task_in_words(detail, first) + " cancelled at its poll " +
             number(second) + " (its future dropped)";
    case DecisionKind::kCancelWaiting:
      if (choices != nullptr && d.value >= 1 && d.value <= choices->size()) {
        return task_in_words(detail, (*choices)[d.value - 1]) +
               " cancelled while it waited, at step " + number(first);
      }
      return "waiting cancellable task number " + number(d.value) +
             " cancelled at step " + number(first);
    case DecisionKind::kTimerTie:
      return "timers due at the same instant (batch " + number(first) +
             "): the one in position " + number(second + d.value) +
             " fires before the one in position " + number(second);
    case DecisionKind::kTimeStep:
      return "virtual time jumps " + times_unit(detail, d.kind, d.value) +
             " before step " + number(first);
    case DecisionKind::kTimerJitter: {
      const std::uint32_t half = (d.bound - 1) / 2;
      const bool early = d.value <= half;
      return "timer number " + number(first) + " fires " +
             times_unit(detail, d.kind, early ? d.value : d.value - half) +
             (early ? " early" : " late");
    }
    case DecisionKind::kBuggifySite:
      return "the buggify() site with hash " + number(first) +
             " is enabled for this run";
    case DecisionKind::kBuggifyFire:
      return "the buggify() site with hash " + number(first) +
             " injects its fault at its call " + number(second);
    case DecisionKind::kThreadSwitch:
      if (choices != nullptr && d.value < choices->size()) {
        return "simulated " + thread_in_words((*choices)[d.value]) +
               " runs instead of " + thread_in_words((*choices)[0]) +
               preempted_at(trace, index) + " at scheduling point " +
               number(second) + " of step " + number(first);
      }
      return "at scheduling point " + number(second) + " of step " +
             number(first) + " the runnable thread in position " +
             number(d.value) + " runs (0: the one running)";
    case DecisionKind::kNetDelay:
      return message_in_words(detail, first) + " delayed " +
             times_unit(detail, d.kind, d.value);
    case DecisionKind::kNetLoss:
      return message_in_words(detail, first) + " lost";
    case DecisionKind::kNetDuplicate:
      return message_in_words(detail, first) + " duplicated";
    case DecisionKind::kNetReset:
      return message_in_words(detail, first) +
             " turned into a reset of its connection (both ends read "
             "ECONNRESET)";
    case DecisionKind::kNetPartition: {
      const MessageDetail* message =
          detail != nullptr ? detail->message(first) : nullptr;
      std::string link = message != nullptr
                             ? "the link between " +
                                   host_in_words(detail, message->from_host) +
                                   " and " +
                                   host_in_words(detail, message->to_host)
                             : std::string("the sender's link to the receiver");
      return link + " cut for " + times_unit(detail, d.kind, d.value) + " as " +
             message_in_words(detail, first) + " was sent";
    }
    case DecisionKind::kClockSkew: {
      const std::uint32_t steps_max =
          detail != nullptr ? detail->units.skew_steps_max : 0;
      const bool ahead = steps_max == 0 || d.value <= steps_max;
      return host_in_words(detail, first) + "'s clock runs " +
             times_unit(detail, d.kind, ahead ? d.value : d.value - steps_max) +
             (ahead ? " ahead" : " behind");
    }
    case DecisionKind::kNetSegment: {
      const MessageDetail* message =
          detail != nullptr ? detail->message(first) : nullptr;
      const MessageDetail* rest =
          detail != nullptr ? detail->message(first + 1) : nullptr;
      std::string out =
          "a write split in two segments: " + message_in_words(detail, first) +
          " carries its first part";
      if (message != nullptr && rest != nullptr) {
        out += ", the other " + number(rest->bytes) +
               " bytes follow as message " + number(first + 1) +
               ", a delay step later";
      }
      return out;
    }
    case DecisionKind::kDiskDelay:
      return disk_op_in_words(detail, first) + " delayed " +
             times_unit(detail, d.kind, d.value);
    case DecisionKind::kDiskFault:
    case DecisionKind::kDiskCrash:
    case DecisionKind::kDiskHalt: {
      if (const std::string* words = decision_words(detail, index)) {
        return *words;
      }
      return disk_op_in_words(detail, first) +
             (d.kind == DecisionKind::kDiskFault
                  ? " failed (injected fault " + number(d.value) + ")"
              : d.kind == DecisionKind::kDiskHalt
                  ? ": its host crashed as it began"
                  : " lost or torn at a crash (choice " + number(d.value) +
                        ")");
    }
    case DecisionKind::kStaleRead: {
      const std::string* words =
          detail != nullptr && index < detail->decision_words.size()
              ? &detail->decision_words[index]
              : nullptr;
      if (words != nullptr && !words->empty()) return *words;
      return "atomic load number " + number(second) + " of simulated " +
             thread_in_words(first) + " read an older store (" +
             number(d.value) + " before the newest)";
    }
    case DecisionKind::kNetNemesis: {
      const std::string* words =
          detail != nullptr && index < detail->decision_words.size()
              ? &detail->decision_words[index]
              : nullptr;
      return (words != nullptr && !words->empty()
                  ? *words
                  : "network fault number " + number(d.value)) +
             ", as " + message_in_words(detail, first) + " was sent";
    }
  }
  return format_decision(d);
}

}  // namespace weft::sim
