// The simulated network's faults across hosts: a nemesis decision (see
// nemesis.h) and what it does — cut links between two sides, jump a
// host's clock, crash a host and restart it later — and the crashes and
// restarts it scheduled, run by the network's timer.
#include <algorithm>

#include "sim/core/simulator.h"
#include "sim/net/core.h"
#include "sim/report/event_text.h"

namespace weft::sim::net_detail {

void NetCore::maybe_nemesis(const Packet& packet) {
  NemesisSpace space;
  space.hosts = static_cast<std::uint32_t>(hosts_.size());
  space.steps_max = shape_.nemesis_steps_max;
  space.clock_jumps = shape_.clock_skew_step > Duration::zero();
  // Asked for every message: the list is a member, reused, so asking
  // allocates nothing once it has grown.
  restartable_.clear();
  for (std::uint32_t i = 0; i < hosts_.size(); ++i) {
    if (hosts_[i]->on_restart_ && hosts_[i]->up_) restartable_.push_back(i);
  }
  space.restartable = restartable_;
  const std::uint32_t bound = space.bound();
  if (bound <= 1) return;
  const std::uint32_t value = simulator_.decide(
      DecisionKind::kNetNemesis, bound, nemesis_chance_, {packet.number, 0});
  if (value == 0) return;
  const Nemesis nemesis = space.decode(value);
  if (nemesis.kind == Nemesis::Kind::kNone) return;
  if (RunDetail* detail = simulator_.detail();
      detail != nullptr && !detail->decision_events.empty()) [[unlikely]] {
    RunDetail::slot(detail->decision_words, detail->decision_events.size()) =
        nemesis_in_words(nemesis);
  }
  apply_nemesis(nemesis);
}

void NetCore::apply_nemesis(const Nemesis& nemesis) {
  const auto hosts = static_cast<std::uint32_t>(hosts_.size());
  switch (nemesis.kind) {
    case Nemesis::Kind::kIsolate:
    case Nemesis::Kind::kSplit:
    case Nemesis::Kind::kBridge: {
      const NemesisSides sides = sides_of(nemesis, hosts);
      const Duration how_long = shape_.nemesis_step * nemesis.steps;
      for (std::uint32_t a : sides.a) {
        for (std::uint32_t b : sides.b) cut_for(a, b, how_long);
      }
      return;
    }
    case Nemesis::Kind::kClockJump:
      hosts_[nemesis.host]->skew_ += shape_.clock_skew_step * nemesis.steps;
      return;
    case Nemesis::Kind::kCrashRestart: {
      // Not in the middle of the send that asked: the crash comes at the
      // network's next turn, at this same instant.
      const Instant at = now();
      host_events_.push_back({at, ++order_, nemesis.host, false});
      host_events_.push_back({at + shape_.nemesis_step * nemesis.steps,
                              ++order_, nemesis.host, true});
      if (!delivering_) arm_timer();
      return;
    }
    case Nemesis::Kind::kNone:
      return;
  }
}

bool NetCore::halt_at(std::uint32_t index, std::uint64_t op) {
  SimHost& host = *hosts_[index];
  if (halt_chance_ == 0 || !host.on_restart_ || !host.up_) return false;
  // Only an operation of the host's own tasks: the crash drops the task
  // that waits on it (another task would wait forever).
  auto owner = host_of_task_.find(simulator_.polled_task_id());
  if (owner == host_of_task_.end() || owner->second != index) return false;
  const std::uint32_t steps =
      simulator_.decide(DecisionKind::kDiskHalt, shape_.nemesis_steps_max + 1,
                        halt_chance_, {op, 0});
  if (steps == 0) return false;
  const Duration down = shape_.nemesis_step * steps;
  if (RunDetail* detail = simulator_.detail();
      detail != nullptr && !detail->decision_events.empty()) [[unlikely]] {
    const std::string what = op <= detail->disk_ops.size()
                                 ? detail->disk_ops[op - 1]
                                 : "storage operation " + std::to_string(op);
    RunDetail::slot(detail->decision_words, detail->decision_events.size()) =
        host_words(index) + " crashes as its " + what +
        " begins, and restarts " +
        std::to_string(
            std::chrono::duration_cast<std::chrono::milliseconds>(down)
                .count()) +
        " ms later (its on_restart)";
  }
  // Now, at the network's next turn (the operation's task is polling).
  const Instant at = now();
  host_events_.push_back({at, ++order_, index, false});
  host_events_.push_back({at + down, ++order_, index, true});
  if (!delivering_) arm_timer();
  return true;
}

std::string NetCore::host_words(std::uint32_t index) const {
  return "host " + std::to_string(host_number(index)) + " (" +
         hosts_[index]->ip_.ip_string() + ")";
}

std::string NetCore::nemesis_in_words(const Nemesis& nemesis) const {
  const auto hosts = static_cast<std::uint32_t>(hosts_.size());
  auto list = [this](const std::vector<std::uint32_t>& indices) {
    std::string out;
    for (std::uint32_t index : indices) {
      out += (out.empty() ? "" : ", ") + host_words(index);
    }
    return out;
  };
  auto span = [](Duration step, std::uint32_t steps) {
    return std::to_string(steps) + " x " + duration_text(step.count()) + " = " +
           duration_text((step * steps).count());
  };
  const std::string how_long = span(shape_.nemesis_step, nemesis.steps);
  const NemesisSides sides = sides_of(nemesis, hosts);
  switch (nemesis.kind) {
    case Nemesis::Kind::kIsolate:
      return host_words(nemesis.host) +
             " isolated: every link to the other hosts cut for " + how_long;
    case Nemesis::Kind::kSplit:
      return "the network split in two for " + how_long + ": {" +
             list(sides.a) + "} cannot reach {" + list(sides.b) + "}";
    case Nemesis::Kind::kBridge:
      return "the network split in two for " + how_long + ", bridged by " +
             host_words(nemesis.host) + ": {" + list(sides.a) +
             "} cannot reach {" + list(sides.b) + "}, the bridge reaches both";
    case Nemesis::Kind::kClockJump:
      return "the clock of " + host_words(nemesis.host) + " jumps " +
             span(shape_.clock_skew_step, nemesis.steps) + " forward";
    case Nemesis::Kind::kCrashRestart:
      return host_words(nemesis.host) + " crashes now and restarts " +
             how_long + " later (its on_restart)";
    case Nemesis::Kind::kNone:
      break;
  }
  return "no fault";
}

bool NetCore::next_host_event(Instant& at) const {
  if (host_events_.empty()) return false;
  at = host_events_.front().at;
  for (const HostEvent& event : host_events_) at = std::min(at, event.at);
  return true;
}

void NetCore::run_host_events() {
  const Instant at = now();
  while (true) {
    // The earliest due event, in the order scheduled.
    auto due = host_events_.end();
    for (auto it = host_events_.begin(); it != host_events_.end(); ++it) {
      if (it->at > at) continue;
      if (due == host_events_.end() || it->at < due->at ||
          (it->at == due->at && it->order < due->order)) {
        due = it;
      }
    }
    if (due == host_events_.end()) return;
    const HostEvent event = *due;
    host_events_.erase(due);
    if (!event.restart) {
      if (hosts_[event.host]->up_) crash(event.host);
    } else if (!hosts_[event.host]->up_) {
      restart(event.host);
    }
  }
}

void NetCore::restart(std::uint32_t index) {
  SimHost& host = *hosts_[index];
  host.up_ = true;
  simulator_.record_event(EventKind::kHostCrash, host_number(index), 0);
  if (!host.on_restart_) return;
  // The host's function spawns its services: on the simulator's executor,
  // even when the restart comes from the network's timer. (A copy: the
  // function may declare another.)
  Executor::CurrentScope scope(&simulator_);
  const std::function<void(SimHost&)> start = host.on_restart_;
  start(host);
}

}  // namespace weft::sim::net_detail
