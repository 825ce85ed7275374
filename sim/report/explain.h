// weft::sim::Explanation: the part of a failure report that says why: every
// perturbed decision of the run in words with units, and a timeline that
// always shows them and the events they directly caused (the message a
// delay held, the task a cancel dropped, the thread a switch preempted),
// the wakes that found nobody waiting, the culprits of a stuck run, and the
// last events before the failure, with elisions between.
//
// Works on any trace; a trace recorded with detail (run_detail.h) gives
// sites, message endpoints and the place of each decision in the timeline.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include "sim/decision/decision.h"
#include "sim/report/failure.h"
#include "sim/report/trace.h"

namespace weft::sim {

// How each event of a run matters to its explanation.
enum class EventRole : std::uint8_t {
  kContext,   // shown only near the end or around decisive events
  kDecisive,  // a perturbed decision
  kEffect,    // an event a perturbed decision directly caused
  kCulprit,   // a wake nobody waited for, a wake a cancelled task took
};

struct Explanation {
  // One line per perturbed decision: "#12 delay@6=15 at step 41: message
  // 6 (...) delayed 3 x 5 ms = 15 ms".
  std::vector<std::string> decisions;
  // Who left the run stuck, when the trace shows it (deadlock, never-woken
  // and liveness failures): one sentence each.
  std::vector<std::string> culprits;
  // The timeline: decisive events, their effects, culprits and the last
  // events, with "... N events ..." between.
  std::string timeline;
  // The role of each event (by index), for the trace file and the page.
  std::vector<EventRole> roles;
  // Whether the timeline shows each event (by index).
  std::vector<bool> shown;
};

// `tail_events`: how many of the last events are always shown.
Explanation explain(const Trace& trace, const DecisionList& decisions,
                    const Failure& failure, std::size_t tail_events);

// The virtual time at each event (nanoseconds since the run started), from
// the trace's time-advance events.
std::vector<std::int64_t> event_times(const Trace& trace);

}  // namespace weft::sim
