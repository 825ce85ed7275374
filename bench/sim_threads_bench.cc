// Simulated threads: switches per second (goal: at least 1 M/s on one
// core), beside the cost of the bare fiber switch underneath them (the
// baseline the ratio is taken against). Everything runs on one real
// thread: simulated threads are fibers, not threads.
//
//   bazel run -c opt //bench:sim_threads_bench
//
// For comparison, loom (Rust) explores interleavings of threads over
// atomics exhaustively with a preemption bound, each run re-executed from
// the start on generator-backed threads, and has no executor, virtual
// time or cancellation; weft's switches are decisions of the same stream
// that schedules tasks, timers and cancellations.
#include <benchmark/benchmark.h>

#include <cstdint>

#include "runtime/sync/sync.h"
#include "runtime/weft.h"
#include "sim/search/strategies.h"
#include "sim/sweep/single_run.h"
#include "sim/threads/fiber.h"

namespace {

using weft::sim::Fiber;
using weft::sim::FiberContext;

// The floor: one fiber and the caller switching back and forth.
struct PingPong {
  std::unique_ptr<FiberContext> main = FiberContext::current_stack();
  std::unique_ptr<Fiber> fiber;
  static void entry(void* self) {
    auto& pong = *static_cast<PingPong*>(self);
    for (;;) FiberContext::switch_to(pong.fiber->context(), *pong.main);
  }
};

void BM_BareFiberSwitch(benchmark::State& state) {
  PingPong pong;
  pong.fiber = std::make_unique<Fiber>(&PingPong::entry, &pong);
  std::int64_t switches = 0;
  for (auto _ : state) {
    FiberContext::switch_to(*pong.main, pong.fiber->context());
    switches += 2;
  }
  state.counters["switches/s"] = benchmark::Counter(
      static_cast<double>(switches), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_BareFiberSwitch);

// Two simulated threads hand a turn back and forth through an atomic; the
// one whose turn it is not yields, so every hand-off is a switch.
// With seq_cst operations every load reads the newest store: what the
// memory model costs a program that uses no weaker order.
constexpr int kHandOffs = 20'000;

template <std::memory_order kLoad = std::memory_order_acquire,
          std::memory_order kStore = std::memory_order_release>
weft::Async<void> turn_taking() {
  weft::sync::atomic<int> turn{0};
  const auto player = [&turn](int me) {
    for (int i = 0; i < kHandOffs / 2; ++i) {
      while (turn.load(kLoad) != me) {
        weft::sync::yield_now();
      }
      turn.store(1 - me, kStore);
    }
  };
  weft::sync::thread first([&] { player(0); });
  weft::sync::thread second([&] { player(1); });
  first.join();
  second.join();
  co_return;
}

template <typename Source>
void simulated_switches(benchmark::State& state, Source (*make)(std::uint64_t),
                        const weft::sim::Scenario& scenario) {
  std::uint64_t switches = 0;
  std::uint64_t seed = 0;
  weft::sim::SimOptions options;
  options.limits.sync_operations_max = 10'000'000;
  for (auto _ : state) {
    Source source = make(++seed);
    const weft::sim::RunResult run =
        weft::sim::run_once(scenario, options, source);
    if (run.failure) state.SkipWithError("the run failed");
    switches += run.thread_switches;
  }
  state.counters["switches/s"] = benchmark::Counter(
      static_cast<double>(switches), benchmark::Counter::kIsRate);
}

weft::sim::FifoSource fifo(std::uint64_t) { return {}; }
weft::sim::RandomWalkSource random_walk(std::uint64_t seed) {
  return weft::sim::RandomWalkSource(seed);
}

void BM_SimThreadTurnsFifo(benchmark::State& state) {
  simulated_switches(state, &fifo, turn_taking<>);
}
BENCHMARK(BM_SimThreadTurnsFifo)->Unit(benchmark::kMillisecond);

void BM_SimThreadTurnsRandom(benchmark::State& state) {
  simulated_switches(state, &random_walk, turn_taking<>);
}
BENCHMARK(BM_SimThreadTurnsRandom)->Unit(benchmark::kMillisecond);

void BM_SimThreadTurnsSeqCstRandom(benchmark::State& state) {
  simulated_switches(
      state, &random_walk,
      turn_taking<std::memory_order_seq_cst, std::memory_order_seq_cst>);
}
BENCHMARK(BM_SimThreadTurnsSeqCstRandom)->Unit(benchmark::kMillisecond);

// Four threads contending for one weft::sync::mutex: switches at blocking
// locks and at the random walk's preemptions.
weft::Async<void> contended_counter() {
  weft::sync::mutex mutex;
  long total = 0;
  const auto add = [&] {
    for (int i = 0; i < 2'000; ++i) {
      weft::sync::lock_guard lock(mutex);
      ++total;
    }
  };
  weft::sync::thread a(add);
  weft::sync::thread b(add);
  weft::sync::thread c(add);
  weft::sync::thread d(add);
  a.join();
  b.join();
  c.join();
  d.join();
  WEFT_ASSERT_EQ(total, 8'000);
  co_return;
}

void BM_SimThreadMutexRandom(benchmark::State& state) {
  simulated_switches(state, &random_walk, contended_counter);
}
BENCHMARK(BM_SimThreadMutexRandom)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
