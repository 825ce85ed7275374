// Simulated tests whose code under test crashes on some interleavings only:
// a null read, an abort(), and a WEFT_ASSERT thrown out of a destructor
// (std::terminate). They are not tests of their own: crash_test runs this
// binary and checks that each crash ends in a replay line, then in a
// shrunk, replayable crash report.
#include <signal.h>
#include <unistd.h>

#include <cstdlib>

#include "runtime/sync/sync.h"
#include "sim/weft_sim.h"

namespace {

int value = 7;

// Task `writer` clears the shared pointer for the length of one yield;
// `reader` dereferences it after a yield. FIFO never lets the reader in
// between; a reordering does.
weft::Async<void> window(int** shared) {
  *shared = nullptr;
  co_await weft::yield_now();
  *shared = &value;
}

template <typename OnNull>
weft::Async<void> reader(int** shared, OnNull on_null) {
  co_await weft::yield_now();
  if (*shared == nullptr) on_null();
  volatile int* read_from = *shared;
  WEFT_ASSERT(*read_from == 7, "the value is 7");
}

template <typename OnNull>
weft::Async<void> race(OnNull on_null) {
  int* shared = &value;
  auto first = weft::spawn(window(&shared));
  auto second = weft::spawn(reader(&shared, on_null));
  co_await std::move(first);
  co_await std::move(second);
}

struct AssertsWhenDestroyed {
  ~AssertsWhenDestroyed() { WEFT_ASSERT(false, "checked in a destructor"); }
};

}  // namespace

WEFT_SIM_TEST(Crasher, ReadsThroughANullPointer) {
  co_await race([] {});  // the read below faults
}

WEFT_SIM_TEST(Crasher, Aborts) {
  co_await race([] { std::abort(); });
}

WEFT_SIM_TEST(Crasher, AssertsInADestructor) {
  co_await race([] { AssertsWhenDestroyed guard; });
}

// The same null read on a simulated thread (a fiber): one thread clears a
// shared pointer for a moment, the other reads through it. (The pointer
// lives in the run, not in a static: the sweep's runs go on in parallel,
// and a static would let one run's writer clear another run's pointer.)
WEFT_SIM_TEST(Crasher, ReadsThroughANullPointerOnASimulatedThread) {
  weft::sync::atomic<int*> shared{&value};
  weft::sync::thread writer([&shared] {
    shared.store(nullptr);
    shared.store(&value);
  });
  weft::sync::thread reader([&shared] {
    volatile int* read_from = shared.load();
    WEFT_ASSERT(*read_from == 7, "the value is 7");
  });
  writer.join();
  reader.join();
  co_return;
}

// A run that hangs inside a poll, as a test timeout finds it: the process
// is sent SIGTERM (as Bazel does, to the process, which delivers it to the
// main thread) while the run waits forever. (It sleeps rather than spins:
// ThreadSanitizer delivers a signal to a thread only when it calls into
// the runtime.)
WEFT_SIM_TEST(Crasher, HangsUntilTerminated) {
  co_await race([] {
    ::kill(::getpid(), SIGTERM);
    for (;;) ::usleep(1000);
  });
}

// A run that hangs inside a poll until something outside stops it, as a
// test's timeout does (crash_test sends SIGTERM with timeout(1)).
WEFT_SIM_TEST(Crasher, HangsUntilATimeout) {
  co_await race([] {
    for (;;) ::usleep(1000);
  });
}
