// The simulator in one include, for simulated tests: the runtime, the
// Simulator, sweeps, liveness properties (eventually) and the GoogleTest
// glue.
#pragma once

#include "runtime/weft.h"
#include "sim/eventually.h"
#include "sim/gtest_sim.h"
#include "sim/sim_net.h"
#include "sim/simulator.h"
#include "sim/sweep.h"
