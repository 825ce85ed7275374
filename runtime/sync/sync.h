// weft/sync: the synchronization facade, in one include. Code that uses
// weft::sync::atomic, mutex, condition_variable, thread and Cell runs as
// plain std:: in production and as simulated threads, switched at each of
// these operations by the run's decisions, under the simulator.
#pragma once

#include "runtime/sync/atomic.h"      // IWYU pragma: export
#include "runtime/sync/cell.h"        // IWYU pragma: export
#include "runtime/sync/fence.h"       // IWYU pragma: export
#include "runtime/sync/mutex.h"       // IWYU pragma: export
#include "runtime/sync/sync_hooks.h"  // IWYU pragma: export
#include "runtime/sync/thread.h"      // IWYU pragma: export
