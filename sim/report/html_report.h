// weft::sim::html_report: a failure as one self-contained HTML page (no
// network, no external scripts or fonts), written next to the trace file.
//
// The page: what failed and the line that replays it; the perturbed
// decisions in words and the culprits; and a picture of the run, with a
// lane per task, simulated thread and simulated host along the event axis
// (the events the text timeline shows, elided stretches drawn as gaps),
// polls and thread runs as bars, messages and wakes as arrows between
// lanes, and the perturbed decisions as highlighted columns with their
// labels. Every mark names its event and source site on hover, and in the
// side panel on click.
//
// Stable hooks for checks: lanes are <g class="lane" data-kind="task|
// thread|host">, arrows <line class="arrow message|wake">, decisions <g
// class="decision perturbed" data-label="delay@6">.
#pragma once

#include <string>

#include "sim/decision/decision.h"
#include "sim/report/explain.h"
#include "sim/report/report.h"
#include "sim/report/trace.h"

namespace weft::sim {

std::string html_report(const FailureReport& report, const Trace& trace,
                        const DecisionList& decisions,
                        const Explanation& explanation);

}  // namespace weft::sim
