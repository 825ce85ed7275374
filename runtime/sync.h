// weft/sync: the synchronization facade, in one include. Code that uses
// weft::sync::atomic, mutex, condition_variable, thread and Cell runs as
// plain std:: in production and as simulated threads, switched at each of
// these operations by the run's decisions, under the simulator.
#pragma once

#include "runtime/sync_atomic.h"  // IWYU pragma: export
#include "runtime/sync_cell.h"    // IWYU pragma: export
#include "runtime/sync_hooks.h"   // IWYU pragma: export
#include "runtime/sync_mutex.h"   // IWYU pragma: export
#include "runtime/sync_thread.h"  // IWYU pragma: export
