// weft::sim::options_problem: whether a SimOptions can drive a run, and if
// not, which field is wrong and what it accepts ("SimOptions
// perturbations.reorder_probability is 2: a probability is a number from 0
// to 1"). Every field is checked: probabilities (NaN included), durations,
// counts that must be at least 1, and the bounds that keep a decision's
// options and a skewed clock inside their integers. The Simulator checks
// when a run begins (a misuse), and a sweep before its first run.
#pragma once

#include <optional>
#include <string>

#include "sim/core/options.h"

namespace weft::sim {

std::optional<std::string> options_problem(const SimOptions& options);

}  // namespace weft::sim
