// weft::sim::perfetto_json: a run as a Chrome Trace Event Format document,
// which Perfetto (ui.perfetto.dev) and chrome://tracing open.
//
// Tracks: one per task (polls as slices), one per simulated thread (the
// stretches it runs as slices, switches between), one per simulated host
// (sends, deliveries and drops), and one for the decisions. Wakes and
// messages are flow arrows from the actor that woke or sent to the one
// woken or receiving; perturbed decisions, cancellations, crashes and the
// failure are instant events. Every event carries its step, its virtual
// time and, when known, its source site. The time axis is the event's
// index (one event = 1 microsecond), so events of one step stay apart.
#pragma once

#include <string>

#include "sim/decision/decision.h"
#include "sim/report/explain.h"
#include "sim/report/trace.h"

namespace weft::sim {

std::string perfetto_json(const Trace& trace, const DecisionList& decisions,
                          const Explanation& explanation);

}  // namespace weft::sim
