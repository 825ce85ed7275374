// The simulator in one include, for simulated tests: the runtime, the
// Simulator, sweeps, liveness properties (eventually) and the GoogleTest
// glue.
#pragma once

// clang-format off
#include "runtime/seam/cxx20.h"  // first: a clear error below C++20
// clang-format on

#include "runtime/weft.h"
#include "sim/core/eventually.h"
#include "sim/core/simulator.h"
#include "sim/gtest/gtest_sim.h"
#include "sim/net/sim_net.h"
#include "sim/storage/sim_disk.h"
#include "sim/sweep/sweep.h"
