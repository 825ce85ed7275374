#include "sim/report/explain.h"

#include <cstdio>
#include <map>

#include "sim/decision/decision_io.h"
#include "sim/report/event_text.h"
#include "sim/report/site_text.h"

namespace weft::sim {
namespace {

// Effects of a decision shown right after it: the events of the same step
// before the next decision, at most this many.
constexpr std::size_t kImmediateEffectsMax = 3;
// Events shown after a decided thread switch: what the thread that took
// over did, until the preempted one runs again.
constexpr std::size_t kSwitchEffectsMax = 16;
// A run with at most this many messages shows every send, delivery and
// drop: between hosts, the message flow is the story.
constexpr std::size_t kAllMessagesShownMax = 40;
// Wakes that found nobody waiting, shown as culprits: the last ones.
constexpr std::size_t kEmptyWakesShownMax = 4;

bool names_message(const TraceEvent& event, std::uint64_t message) {
  switch (event.kind) {
    case EventKind::kNetSend:
    case EventKind::kNetDeliver:
      return event.arg == message;
    case EventKind::kNetDrop:
      return (event.arg & ((1ULL << 56) - 1)) == message;
    default:
      return false;
  }
}

bool is_net_kind(DecisionKind kind) {
  return kind == DecisionKind::kNetDelay || kind == DecisionKind::kNetLoss ||
         kind == DecisionKind::kNetDuplicate ||
         kind == DecisionKind::kNetReset ||
         kind == DecisionKind::kNetPartition ||
         kind == DecisionKind::kNetNemesis || kind == DecisionKind::kNetSegment;
}

// The task a decision is about, when it names one (0 otherwise).
std::uint64_t task_of(const Decision& d, const RunDetail* detail,
                      std::size_t index) {
  switch (d.kind) {
    case DecisionKind::kHoldWake:
    case DecisionKind::kCancel:
      return d.label.first;
    case DecisionKind::kCancelWaiting:
      if (detail != nullptr && index < detail->decision_choices.size() &&
          d.value >= 1 && d.value <= detail->decision_choices[index].size()) {
        return detail->decision_choices[index][d.value - 1];
      }
      return 0;
    default:
      return 0;
  }
}

class Marker {
 public:
  Marker(const Trace& trace, Explanation& out)
      : events_(trace.events()), out_(out) {
    out_.roles.assign(events_.size(), EventRole::kContext);
    shown_.assign(events_.size(), false);
  }
  void mark(std::size_t index, EventRole role) {
    if (index >= events_.size()) return;
    shown_[index] = true;
    // A stronger role wins: decisive, then culprit, then effect.
    if (out_.roles[index] == EventRole::kDecisive) return;
    if (role == EventRole::kEffect &&
        out_.roles[index] == EventRole::kCulprit) {
      return;
    }
    out_.roles[index] = role;
  }
  void show(std::size_t index) {
    if (index < events_.size()) shown_[index] = true;
  }
  bool shown(std::size_t index) const { return shown_[index]; }
  // The first event after `from` of `kind` about `task` (or any task when
  // `task` is 0); events_.size() if none.
  std::size_t next(std::size_t from, EventKind kind, std::uint64_t task) const {
    for (std::size_t i = from + 1; i < events_.size(); ++i) {
      if (events_[i].kind == kind && (task == 0 || events_[i].task == task)) {
        return i;
      }
    }
    return events_.size();
  }

 private:
  const std::vector<TraceEvent>& events_;
  Explanation& out_;
  std::vector<bool> shown_;
};

// After a partition or nemesis decision at `at`: the links it cut (the
// cut events right after it), and every message dropped on one of them,
// either way, until that link healed.
void mark_cut_link_drops(const Trace& trace, std::size_t at, Marker& marker) {
  constexpr std::uint64_t kHealed = 1ULL << 63;
  constexpr std::uint64_t kCutLink = 2;  // drop reason: the link is cut
  const auto& events = trace.events();
  const RunDetail& detail = *trace.detail();
  struct Cut {
    std::uint64_t a, b;
    bool healed;
  };
  std::vector<Cut> cuts;
  std::size_t i = marker.next(at, EventKind::kNetCut, 0);
  for (; i < events.size() && events[i].kind == EventKind::kNetCut; ++i) {
    if ((events[i].arg & kHealed) != 0) break;
    marker.mark(i, EventRole::kEffect);
    cuts.push_back({events[i].task, events[i].arg, false});
  }
  auto cut_of = [&](std::uint64_t x, std::uint64_t y) -> Cut* {
    for (Cut& cut : cuts) {
      if (!cut.healed &&
          ((x == cut.a && y == cut.b) || (x == cut.b && y == cut.a))) {
        return &cut;
      }
    }
    return nullptr;
  };
  for (; i < events.size(); ++i) {
    const TraceEvent& e = events[i];
    if (e.kind == EventKind::kNetCut && (e.arg & kHealed) != 0) {
      if (Cut* cut = cut_of(e.task, e.arg & ~kHealed)) {
        cut->healed = true;
        marker.mark(i, EventRole::kEffect);
      }
      continue;
    }
    if (e.kind != EventKind::kNetDrop || (e.arg >> 56) != kCutLink) continue;
    const MessageDetail* message = detail.message(e.arg & ((1ULL << 56) - 1));
    if (message != nullptr && cut_of(message->from_host, message->to_host)) {
      marker.mark(i, EventRole::kEffect);
    }
  }
}

// After a nemesis that crashed a host: the crash and the restart.
void mark_crash_restart(const Trace& trace, std::size_t at, Marker& marker) {
  const auto& events = trace.events();
  const std::size_t crash = marker.next(at, EventKind::kHostCrash, 0);
  if (crash >= events.size() || events[crash].arg == 0) return;
  marker.mark(crash, EventRole::kEffect);
  for (std::size_t i = crash + 1; i < events.size(); ++i) {
    if (events[i].kind == EventKind::kHostCrash &&
        events[i].task == events[crash].task && events[i].arg == 0) {
      marker.mark(i, EventRole::kEffect);
      return;
    }
  }
}

void mark_effects(const Trace& trace, const DecisionList& decisions,
                  std::size_t index, std::size_t at, Marker& marker) {
  const auto& events = trace.events();
  const RunDetail* detail = trace.detail();
  const Decision& d = decisions[index];
  const bool net = is_net_kind(d.kind);
  auto is_net_event = [](EventKind kind) {
    return kind == EventKind::kNetSend || kind == EventKind::kNetDeliver ||
           kind == EventKind::kNetDrop || kind == EventKind::kNetCut ||
           kind == EventKind::kHostCrash;
  };
  // What happened right after it, in the same step (for a network
  // decision, what the network did; the tasks' polls around it are shown
  // for context, not claimed as caused).
  std::size_t immediate = 0;
  for (std::size_t i = at + 1;
       i < events.size() && immediate < kImmediateEffectsMax &&
       events[i].step == events[at].step;
       ++i) {
    if (events[i].kind == EventKind::kDecision) break;
    if (events[i].kind == EventKind::kWakerClone ||
        events[i].kind == EventKind::kWakerDrop) {
      continue;  // bookkeeping, not an effect a reader follows
    }
    if (net && !is_net_event(events[i].kind)) {
      marker.show(i);
    } else {
      marker.mark(i, EventRole::kEffect);
    }
    ++immediate;
  }
  if (d.kind == DecisionKind::kNetPartition && detail != nullptr) {
    mark_cut_link_drops(trace, at, marker);
  }
  if (d.kind == DecisionKind::kNetNemesis) {
    // What the fault did; the message it was asked at only dates it.
    if (detail != nullptr) mark_cut_link_drops(trace, at, marker);
    mark_crash_restart(trace, at, marker);
    return;
  }
  if (net) {
    const std::uint64_t message = d.label.first;
    for (std::size_t i = 0; i < events.size(); ++i) {
      std::uint64_t named = 0;
      if (events[i].kind == EventKind::kNetSend ||
          events[i].kind == EventKind::kNetDeliver) {
        named = events[i].arg;
      } else if (events[i].kind == EventKind::kNetDrop) {
        named = events[i].arg & ((1ULL << 56) - 1);
      } else {
        continue;
      }
      const MessageDetail* copy =
          detail != nullptr ? detail->message(named) : nullptr;
      if (names_message(events[i], message) ||
          (copy != nullptr && copy->duplicate_of == message)) {
        // The message's own send came before the decision: context. What
        // became of it (and of any copy) is the effect.
        if (i < at && events[i].kind == EventKind::kNetSend &&
            names_message(events[i], message)) {
          marker.show(i);
        } else {
          marker.mark(i, EventRole::kEffect);
        }
      }
    }
    return;
  }
  switch (d.kind) {
    case DecisionKind::kPickTask: {
      const std::size_t start = marker.next(at, EventKind::kPollStart, 0);
      marker.mark(start, EventRole::kEffect);
      if (start < events.size()) {
        marker.mark(marker.next(start, EventKind::kPollEnd, events[start].task),
                    EventRole::kEffect);
      }
      return;
    }
    case DecisionKind::kThreadSwitch: {
      // The switch, and what the thread that took over did until the
      // preempted one ran again.
      const std::size_t switched = marker.next(at, EventKind::kThreadSwitch, 0);
      if (switched >= events.size()) return;
      const std::uint32_t preempted = switch_before(events[switched].arg);
      std::size_t shown = 0;
      for (std::size_t i = switched;
           i < events.size() && shown < kSwitchEffectsMax; ++i, ++shown) {
        if (events[i].kind == EventKind::kWakerClone ||
            events[i].kind == EventKind::kWakerDrop) {
          continue;
        }
        marker.mark(i, EventRole::kEffect);
        if (i > switched && events[i].kind == EventKind::kThreadSwitch &&
            events[i].task == preempted) {
          break;
        }
      }
      return;
    }
    case DecisionKind::kSpuriousTarget:
      marker.mark(marker.next(at, EventKind::kSpuriousPoll, 0),
                  EventRole::kEffect);
      return;
    case DecisionKind::kBuggifyFire:
      marker.mark(marker.next(at, EventKind::kBuggify, 0), EventRole::kEffect);
      return;
    default:
      break;
  }
  if (const std::uint64_t task = task_of(d, detail, index)) {
    for (EventKind kind : {EventKind::kWakeHeld, EventKind::kWakeReleased,
                           EventKind::kCancel, EventKind::kComplete}) {
      marker.mark(marker.next(at, kind, task), EventRole::kEffect);
    }
  }
}

bool run_was_stuck(const Failure& failure) {
  return failure.checker == Checker::kDeadlock ||
         failure.checker == Checker::kNeverWoken ||
         failure.checker == Checker::kStaleWaker ||
         failure.checker == Checker::kLiveness;
}

std::string at_step(const TraceEvent& event) {
  return "step " + std::to_string(event.step);
}

// With no wake to blame: the tasks left parked (their last poll returned
// Pending and no wake reached them after it), and the tasks that finished
// before they parked, whose wakes could have come too early.
void find_parked_after_finishers(const Trace& trace, Marker& marker,
                                 Explanation& out) {
  constexpr std::size_t kParkedShownMax = 3;
  constexpr std::size_t kFinishersShownMax = 2;
  const auto& events = trace.events();
  const RunDetail* detail = trace.detail();
  std::size_t end = events.size();
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].kind == EventKind::kFailure) {
      end = i;
      break;
    }
  }
  struct Life {
    std::size_t spawned = 0;
    std::size_t parked = 0;  // its last Pending (0: never)
    bool woken_after = false;
    bool finished = false;
    std::size_t finished_at = 0;
  };
  std::map<std::uint64_t, Life> lives;
  // Simulated threads that finished: their index of finishing.
  std::map<std::uint64_t, std::size_t> threads_finished;
  for (std::size_t i = 0; i < end; ++i) {
    const TraceEvent& e = events[i];
    switch (e.kind) {
      case EventKind::kSpawn:
        lives[e.task].spawned = i;
        break;
      case EventKind::kPollEnd:
        if (e.arg == 0) {
          lives[e.task].parked = i;
          lives[e.task].woken_after = false;
        }
        break;
      case EventKind::kWake:
      case EventKind::kTimerFired:
      case EventKind::kWakeReleased:
        lives[e.task].woken_after = true;
        break;
      case EventKind::kComplete:
        lives[e.task].finished = true;
        lives[e.task].finished_at = i;
        break;
      case EventKind::kThreadFinish:
        threads_finished[e.task] = i;
        break;
      default:
        break;
    }
  }
  auto parked = [](const Life& life) {
    return !life.finished && life.parked != 0 && !life.woken_after;
  };
  std::size_t others_parked = 0;
  for (const auto& [task, life] : lives) {
    if (task != 1 && parked(life)) ++others_parked;
  }
  std::size_t shown = 0;
  for (const auto& [task, life] : lives) {
    // The root usually waits for the others: they are the story, unless
    // it is the only one left parked.
    if (!parked(life) || (task == 1 && others_parked > 0)) continue;
    std::string before;
    std::size_t finishers = 0;
    for (const auto& [other, other_life] : lives) {
      if (other == task || !other_life.finished) continue;
      // Finished (not cancelled) after it was spawned and before it parked.
      if (events[other_life.finished_at].arg != 0) continue;
      if (other_life.finished_at <= life.spawned ||
          other_life.finished_at >= life.parked) {
        continue;
      }
      if (finishers++ == kFinishersShownMax) break;
      marker.mark(other_life.finished_at, EventRole::kCulprit);
      before += (before.empty() ? "" : "; ") + task_in_words(detail, other) +
                " had finished at " + at_step(events[other_life.finished_at]);
    }
    for (const auto& [thread, finished_at] : threads_finished) {
      if (finished_at <= life.spawned || finished_at >= life.parked) continue;
      if (finishers++ == kFinishersShownMax) break;
      marker.mark(finished_at, EventRole::kCulprit);
      before += (before.empty() ? "" : "; ") +
                std::string("simulated thread ") + std::to_string(thread) +
                " had finished at " + at_step(events[finished_at]);
    }
    // With finishers to blame, the park is where the story ends, not its
    // cause: shown, not marked.
    if (before.empty()) {
      marker.mark(life.parked, EventRole::kCulprit);
    } else {
      marker.show(life.parked);
    }
    const SourceLocation& site =
        detail != nullptr ? detail->site_of(life.parked) : SourceLocation{};
    out.culprits.push_back(
        task_in_words(detail, task) + " parked at " +
        at_step(events[life.parked]) +
        (site.known() ? " (at " + site_text(site) + ")" : std::string()) +
        " and no wake reached it after" +
        (before.empty() ? std::string(".")
                        : ", while " + before +
                              ", before it parked: a wake sent before a "
                              "task parks finds no waker to wake"));
    if (++shown == kParkedShownMax) break;
  }
}

// Culprits of a stuck run: wakes that found nobody waiting, and wakes that
// a task took and then lost by being cancelled before it ran again.
void find_culprits(const Trace& trace, const Failure& failure, Marker& marker,
                   Explanation& out) {
  if (!run_was_stuck(failure)) return;
  const auto& events = trace.events();
  const RunDetail* detail = trace.detail();
  std::vector<std::size_t> empty_wakes;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].kind == EventKind::kEmptyWake) empty_wakes.push_back(i);
  }
  const std::size_t first_empty = empty_wakes.size() > kEmptyWakesShownMax
                                      ? empty_wakes.size() - kEmptyWakesShownMax
                                      : 0;
  for (std::size_t k = first_empty; k < empty_wakes.size(); ++k) {
    const std::size_t i = empty_wakes[k];
    marker.mark(i, EventRole::kCulprit);
    const SourceLocation& site =
        detail != nullptr ? detail->site_of(i) : SourceLocation{};
    out.culprits.push_back(
        "a wake" + (site.known() ? " at " + site_text(site) : std::string()) +
        " (" + at_step(events[i]) +
        ") found no stored waker: whoever it was meant for was not waiting "
        "yet, and nothing wakes it later");
  }
  // A wake taken by a task that was then cancelled before it was polled.
  for (std::size_t c = 0; c < events.size(); ++c) {
    if (events[c].kind != EventKind::kCancel) continue;
    const std::uint64_t task = events[c].task;
    std::size_t wake = events.size();
    for (std::size_t i = c; i-- > 0;) {
      if (events[i].task != task) continue;
      if (events[i].kind == EventKind::kPollStart) break;
      if (events[i].kind == EventKind::kWake ||
          events[i].kind == EventKind::kTimerFired ||
          events[i].kind == EventKind::kWakeReleased) {
        wake = i;
        break;
      }
    }
    if (wake == events.size()) continue;
    marker.mark(wake, EventRole::kCulprit);
    marker.mark(c, EventRole::kCulprit);
    const SourceLocation& site =
        detail != nullptr ? detail->site_of(wake) : SourceLocation{};
    out.culprits.push_back(
        task_in_words(detail, task) + " was woken at " + at_step(events[wake]) +
        (site.known() ? " (by the wake at " + site_text(site) + ")"
                      : std::string()) +
        " and cancelled at " + at_step(events[c]) +
        " before it ran again: the wake (or what it handed over) went with "
        "it");
  }
  if (out.culprits.empty()) find_parked_after_finishers(trace, marker, out);
}

// An unperturbed decision changes nothing a reader needs: it is never
// shown, nor counted among the events left out.
bool silent(const Trace& trace, std::size_t index,
            const DecisionList& decisions, bool wakers_matter) {
  const TraceEvent& event = trace.events()[index];
  if (event.kind == EventKind::kDecision) {
    return event.arg >= decisions.size() || !decisions[event.arg].perturbed();
  }
  // Waker bookkeeping matters only when a waker is the story.
  if ((event.kind == EventKind::kWakerClone ||
       event.kind == EventKind::kWakerDrop) &&
      !wakers_matter) {
    return true;
  }
  // What a simulated thread did inside weft's own locks is not the user's
  // story (the trace file keeps it).
  if (event.kind == EventKind::kThreadOp && trace.detail() != nullptr) {
    return weft_internal_site(trace.detail()->site_of(index));
  }
  return false;
}

bool time_passes(const Trace& trace) {
  for (const TraceEvent& event : trace.events()) {
    if (event.kind == EventKind::kTimeAdvanced && event.arg != 0) return true;
  }
  return false;
}

void render(const Trace& trace, const DecisionList& decisions,
            const Marker& marker, bool wakers_matter, Explanation& out) {
  const auto& events = trace.events();
  const std::vector<std::int64_t> times = event_times(trace);
  const bool timed = time_passes(trace);
  std::size_t skipped = 0;
  char prefix[64];
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (silent(trace, i, decisions, wakers_matter)) continue;
    if (!marker.shown(i)) {
      ++skipped;
      continue;
    }
    if (skipped > 0) {
      out.timeline += "  ... " + std::to_string(skipped) + " event" +
                      (skipped == 1 ? "" : "s") + " ...\n";
      skipped = 0;
    }
    const char* mark = "  ";
    switch (out.roles[i]) {
      case EventRole::kDecisive:
        mark = ">>";
        break;
      case EventRole::kEffect:
        mark = " +";
        break;
      case EventRole::kCulprit:
        mark = " !";
        break;
      case EventRole::kContext:
        break;
    }
    if (timed) {
      std::snprintf(prefix, sizeof prefix, "  step %5llu  %10s  %s ",
                    static_cast<unsigned long long>(events[i].step),
                    duration_text(times[i]).c_str(), mark);
    } else {
      std::snprintf(prefix, sizeof prefix, "  step %5llu  %s ",
                    static_cast<unsigned long long>(events[i].step), mark);
    }
    out.timeline += prefix;
    out.timeline += event_in_words(trace, i, decisions);
    out.timeline += '\n';
  }
  if (skipped > 0) {
    out.timeline += "  ... " + std::to_string(skipped) + " event" +
                    (skipped == 1 ? "" : "s") + " ...\n";
  }
}

}  // namespace

std::vector<std::int64_t> event_times(const Trace& trace) {
  const auto& events = trace.events();
  std::vector<std::int64_t> times(events.size(), 0);
  std::int64_t now = 0;
  for (std::size_t i = 0; i < events.size(); ++i) {
    if (events[i].kind == EventKind::kTimeAdvanced) {
      now = static_cast<std::int64_t>(events[i].arg);
    }
    times[i] = now;
  }
  return times;
}

Explanation explain(const Trace& trace, const DecisionList& decisions,
                    const Failure& failure, std::size_t tail_events) {
  Explanation out;
  Marker marker(trace, out);
  const auto& events = trace.events();
  const RunDetail* detail = trace.detail();
  const std::vector<std::int64_t> times = event_times(trace);
  const bool timed = time_passes(trace);
  // Where each decision was taken: kept by the detail record, or read off
  // the decision events (a crashed child's trace has those, no detail).
  std::vector<std::size_t> decision_event(decisions.size(), events.size());
  if (detail != nullptr) {
    for (std::size_t i = 0;
         i < detail->decision_events.size() && i < decisions.size(); ++i) {
      decision_event[i] = detail->decision_events[i];
    }
  } else {
    for (std::size_t e = 0; e < events.size(); ++e) {
      if (events[e].kind == EventKind::kDecision &&
          events[e].arg < decisions.size()) {
        decision_event[events[e].arg] = e;
      }
    }
  }
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    if (!decisions[i].perturbed()) continue;
    std::string line =
        "#" + std::to_string(i) + " " + format_decision(decisions[i]);
    if (decision_event[i] < events.size()) {
      const std::size_t at = decision_event[i];
      marker.mark(at, EventRole::kDecisive);
      mark_effects(trace, decisions, i, at, marker);
      line += " at step " + std::to_string(events[at].step);
      if (timed) line += " (t=" + duration_text(times[at]) + ")";
    }
    out.decisions.push_back(line + ": " +
                            decision_in_words(trace, decisions, i));
  }
  find_culprits(trace, failure, marker, out);
  const std::size_t tail_start =
      events.size() > tail_events ? events.size() - tail_events : 0;
  for (std::size_t i = tail_start; i < events.size(); ++i) marker.show(i);
  std::size_t messages = 0;
  for (const TraceEvent& event : events) {
    if (event.kind == EventKind::kNetSend) ++messages;
  }
  if (messages <= kAllMessagesShownMax) {
    for (std::size_t i = 0; i < events.size(); ++i) {
      const EventKind kind = events[i].kind;
      if (kind == EventKind::kNetSend || kind == EventKind::kNetDeliver ||
          kind == EventKind::kNetDrop) {
        marker.show(i);
      }
    }
  }
  // Moments a reader must see wherever they fall.
  for (std::size_t i = 0; i < events.size(); ++i) {
    switch (events[i].kind) {
      case EventKind::kFailure:
      case EventKind::kHostCrash:
      case EventKind::kNetCut:
      case EventKind::kEmptyWake:
        marker.show(i);
        break;
      default:
        break;
    }
  }
  // Clones and drops of wakers are noise unless a waker is what failed.
  const bool wakers_matter = failure.checker == Checker::kNeverWoken ||
                             failure.checker == Checker::kStaleWaker ||
                             failure.checker == Checker::kLeak;
  render(trace, decisions, marker, wakers_matter, out);
  out.shown.assign(events.size(), false);
  for (std::size_t i = 0; i < events.size(); ++i) {
    out.shown[i] =
        marker.shown(i) && !silent(trace, i, decisions, wakers_matter);
  }
  return out;
}

}  // namespace weft::sim
