// weft::buggify(probability): fault injection at a call site in code under
// test, in the manner of FoundationDB's BUGGIFY.
//
//   if (weft::buggify(0.05)) co_await weft::sleep_for(10ms);  // slow path
//
// Outside a simulation it is always false and costs one thread-local load.
// Inside one, the simulator's hooks (hooks.h) decide per run whether each
// call site (keyed by its source location) is enabled at all, and if so,
// whether each call fires with the given probability, both as recorded
// decisions, so a run that injected a fault replays with the same faults.
#pragma once

#include "runtime/seam/source_location.h"

namespace weft {

bool buggify(double probability,
             SourceLocation site = SourceLocation::current());

}  // namespace weft
