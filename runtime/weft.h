// The runtime in one include: futures, wakers, coroutines, tasks, both
// executors, time, sync primitives, channels, combinators, sockets and files.
#pragma once

// clang-format off
#include "runtime/seam/cxx20.h"  // first: a clear error below C++20
// clang-format on

#include "runtime/executors/local_executor.h"
#include "runtime/executors/thread_pool_executor.h"
#include "runtime/fs/fs.h"
#include "runtime/fs/real_fs.h"
#include "runtime/future/async.h"
#include "runtime/future/cancelled.h"
#include "runtime/future/co_invoke.h"
#include "runtime/future/future.h"
#include "runtime/future/join.h"
#include "runtime/future/poll.h"
#include "runtime/future/select.h"
#include "runtime/future/waker.h"
#include "runtime/future/waker_fn.h"
#include "runtime/future/yield_now.h"
#include "runtime/net/net.h"
#include "runtime/net/reactor.h"
#include "runtime/primitives/join_set.h"
#include "runtime/primitives/mpsc.h"
#include "runtime/primitives/mutex.h"
#include "runtime/primitives/notify.h"
#include "runtime/primitives/oneshot.h"
#include "runtime/primitives/semaphore.h"
#include "runtime/primitives/watch.h"
#include "runtime/seam/assert.h"
#include "runtime/seam/buggify.h"
#include "runtime/seam/mark.h"
#include "runtime/sync/sync.h"
#include "runtime/task/clock.h"
#include "runtime/task/executor.h"
#include "runtime/task/join_handle.h"
#include "runtime/task/join_outcome.h"
#include "runtime/time/interval.h"
#include "runtime/time/sleep.h"
#include "runtime/time/timeout.h"
