// weft::sim::RunDetail: what the run a report shows records beyond its
// binary events: the source site of each event, where each decision was
// taken and what it chose between, the actors the events name (tasks,
// simulated threads, hosts) and the messages they carry.
//
// Only a run recorded for a report keeps it (SimOptions::record_detail):
// sweeps and shrinking never pay for it. The report replays its run once
// more with detail on; a run is a pure function of its decisions, so that
// replay is the same run, now with words.
#pragma once

#include <algorithm>
#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "runtime/seam/source_location.h"
#include "sim/decision/decision.h"

namespace weft::sim {

// One simulated message, as the network sent it.
struct MessageDetail {
  std::uint32_t from_host = 0;  // host numbers, from 1
  std::uint32_t to_host = 0;
  std::string from;  // "10.0.0.2:9000"
  std::string to;
  std::uint64_t connection = 0;  // 0: a datagram
  // "datagram", "data", "connect", "accept", "end of stream", "reset"
  std::string kind;
  std::uint64_t bytes = 0;
  // A short printable prefix of the payload, or what the network's
  // describe hook said of it.
  std::string content;
  std::uint64_t duplicate_of = 0;  // the message this is a copy of
};

struct ActorDetail {
  std::string name;  // "host 2 (10.0.0.2)"; empty: the default name
  SourceLocation created_at;
};

// How a decision's value reads: the unit one step of it stands for.
struct DecisionUnits {
  // Nanoseconds per step of value, by kind (0: the value is not a time).
  std::array<std::int64_t, kDecisionKindCount> step_ns{};
  // Clock skew values above this are negative (see kClockSkew).
  std::uint32_t skew_steps_max = 0;
};

// What an atomic operation read and wrote (numbers and enums only), kept
// with the event of the operation.
struct AtomicValues {
  std::size_t event = 0;
  bool is_signed = false;  // the values are two's complement
  bool loaded = false;
  bool stored = false;
  std::uint64_t load = 0;
  std::uint64_t store = 0;
};

struct RunDetail {
  // By event index; an unknown site is a default SourceLocation.
  std::vector<SourceLocation> sites;
  // A second site of some events: where a switched-to thread resumes.
  std::vector<SourceLocation> other_sites;
  // By decision index: the index of its kDecision event, and the ids it
  // chose between (tasks for a pick, threads for a switch), when known.
  std::vector<std::uint64_t> decision_events;
  std::vector<std::vector<std::uint64_t>> decision_choices;
  // By id - 1.
  std::vector<ActorDetail> tasks;
  std::vector<ActorDetail> threads;  // thread 1 first (0 is the executor)
  std::vector<ActorDetail> hosts;
  std::vector<MessageDetail> messages;
  std::vector<ActorDetail> disks;
  // By storage operation number - 1: what it did ("write of 512 bytes at
  // offset 4096 to /wal.log"), and how it ended (": EIO (injected)").
  std::vector<std::string> disk_ops;
  // In event order.
  std::vector<AtomicValues> atomic_values;
  // By decision index + 1: what a decision did, in words, when only the
  // code that took it can say (a nemesis: which hosts, how long).
  std::vector<std::string> decision_words;
  // The index of the latest event recorded.
  std::size_t last_event = 0;
  DecisionUnits units;

  const AtomicValues* values_of(std::size_t event) const noexcept {
    auto it = std::lower_bound(
        atomic_values.begin(), atomic_values.end(), event,
        [](const AtomicValues& v, std::size_t e) { return v.event < e; });
    return it != atomic_values.end() && it->event == event ? &*it : nullptr;
  }

  const SourceLocation& site_of(std::size_t event) const noexcept {
    static const SourceLocation kNone{};
    return event < sites.size() ? sites[event] : kNone;
  }
  const SourceLocation& other_site_of(std::size_t event) const noexcept {
    static const SourceLocation kNone{};
    return event < other_sites.size() ? other_sites[event] : kNone;
  }
  const MessageDetail* message(std::uint64_t number) const noexcept {
    return number >= 1 && number <= messages.size() ? &messages[number - 1]
                                                    : nullptr;
  }
  // Grows `list` so that `id` (from 1) has a slot, and returns it.
  template <typename T>
  static T& slot(std::vector<T>& list, std::uint64_t id) {
    if (list.size() < id) list.resize(id);
    return list[id - 1];
  }
};

}  // namespace weft::sim
