// The simulator in one include, for simulated tests: the runtime, the
// Simulator (spawn_cancellable), sweeps and the GoogleTest glue.
#pragma once

#include "runtime/weft.h"
#include "sim/gtest_sim.h"
#include "sim/simulator.h"
#include "sim/sweep.h"
