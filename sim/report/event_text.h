// Events and decisions of a run in words, for reports: each event with the
// actors it names, its source site and, for messages, the endpoints, size
// and contents; each decision with what it chose and its units ("message 6
// (host 2 10.0.0.2:9000 -> host 1 10.0.0.1:7000, 24 bytes "ACK 3")
// delayed 15 ms"). Richer when the run was recorded with detail
// (run_detail.h); without it, ids and numbers only.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>

#include "sim/decision/decision.h"
#include "sim/report/trace.h"

namespace weft::sim {

// One event, plain (ids and numbers; no detail needed).
std::string describe(const TraceEvent& event);

// Event `index` of `trace` in words, with its site when known.
std::string event_in_words(const Trace& trace, std::size_t index,
                           const DecisionList& decisions);

// Decision `index` of `decisions` in words, with units: what it chose.
std::string decision_in_words(const Trace& trace, const DecisionList& decisions,
                              std::size_t index);

// A message as a reader wants it: "message 6 (host 2 10.0.0.2:9000 ->
// host 1 10.0.0.1:7000, data on connection 3, 24 bytes "ACK 3")".
std::string message_in_words(const RunDetail* detail, std::uint64_t number);

// "task 3 (spawned at tests/x.cc:12)", "task 1 (the root)".
std::string task_in_words(const RunDetail* detail, std::uint64_t id);

// A duration in the unit that reads best: "15 ms", "1.5 ms", "250 us".
std::string duration_text(std::int64_t nanoseconds);

}  // namespace weft::sim
