// The runtime in one include: futures, wakers, coroutines, tasks and the
// single-threaded executor.
#pragma once

#include "runtime/async.h"
#include "runtime/cancelled.h"
#include "runtime/executor.h"
#include "runtime/future.h"
#include "runtime/join_handle.h"
#include "runtime/local_executor.h"
#include "runtime/poll.h"
#include "runtime/waker.h"
