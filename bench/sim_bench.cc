// Simulator throughput: simulated polls per second and complete schedules
// per second, beside the same workload on the plain LocalExecutor (the
// baseline a ratio is taken against).
//
//   bazel run -c opt //bench:sim_bench
#include <benchmark/benchmark.h>

#include <vector>

#include "bench/workloads.h"
#include "runtime/weft.h"
#include "sim/search/strategies.h"
#include "sim/sweep/sweep.h"
#include "sim/sweep/sweep_stats.h"

namespace {

using weft::bench::channel_pairs;
using weft::bench::ring;

// The rings count hand-offs on both executors (a simulated run also makes
// spurious polls, which are steps but not hand-offs).
constexpr int kRingTasks = 10;
constexpr int kRingRounds = 1000;

void BM_LocalExecutorRing(benchmark::State& state) {
  for (auto _ : state) {
    weft::LocalExecutor executor;
    executor.block_on(ring(kRingTasks, kRingRounds));
  }
  state.counters["hand-offs/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kRingTasks * kRingRounds),
      benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LocalExecutorRing)->Unit(benchmark::kMillisecond);

template <typename Source>
void sim_ring(benchmark::State& state, auto make_source) {
  std::uint64_t steps = 0;
  std::uint64_t seed = 0;
  for (auto _ : state) {
    Source source = make_source(++seed);
    weft::sim::RunResult run =
        weft::sim::run_once([] { return ring(kRingTasks, kRingRounds); },
                            weft::sim::SimOptions{}, source);
    steps += run.steps;
  }
  state.counters["hand-offs/s"] = benchmark::Counter(
      static_cast<double>(state.iterations() * kRingTasks * kRingRounds),
      benchmark::Counter::kIsRate);
  state.counters["steps/s"] = benchmark::Counter(static_cast<double>(steps),
                                                 benchmark::Counter::kIsRate);
}

void BM_SimRingFifo(benchmark::State& state) {
  sim_ring<weft::sim::FifoSource>(
      state, [](std::uint64_t) { return weft::sim::FifoSource(); });
}
BENCHMARK(BM_SimRingFifo)->Unit(benchmark::kMillisecond);

void BM_SimRingRandom(benchmark::State& state) {
  sim_ring<weft::sim::RandomWalkSource>(state, [](std::uint64_t seed) {
    return weft::sim::RandomWalkSource(seed);
  });
}
BENCHMARK(BM_SimRingRandom)->Unit(benchmark::kMillisecond);

// Complete schedules per second of a small scenario (5 pairs x 10
// messages), one seed per schedule, as a seed sweep runs them.
void BM_SimSchedules(benchmark::State& state) {
  std::uint64_t seed = 0;
  std::uint64_t polls = 0;
  for (auto _ : state) {
    weft::sim::RandomWalkSource source(++seed);
    polls += weft::sim::run_once([] { return channel_pairs(5, 10); },
                                 weft::sim::SimOptions{}, source)
                 .steps;
  }
  state.counters["schedules/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["polls/s"] = benchmark::Counter(static_cast<double>(polls),
                                                 benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SimSchedules)->Unit(benchmark::kMicrosecond);

// The same, as a seeded sweep runs them now: each run records its
// schedule coverage and the sweep's statistics take it in, for the
// estimate of how much new behaviour is left (sweep_stats.h).
void BM_SimSchedulesWithEstimate(benchmark::State& state) {
  std::uint64_t seed = 0;
  weft::sim::SimOptions options;
  options.record_coverage = true;
  weft::sim::StatsKeeper stats;
  for (auto _ : state) {
    weft::sim::RandomWalkSource source(++seed);
    const weft::sim::RunResult run = weft::sim::run_once(
        [] { return channel_pairs(5, 10); }, options, source);
    stats.add(run, seed);
  }
  state.counters["schedules/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SimSchedulesWithEstimate)->Unit(benchmark::kMicrosecond);

// What a step costs as a scenario grows: channel pairs with 2 to 200 tasks
// (10 messages each), one seed per schedule. The goal is a per-step cost
// that grows by at most a fifth from 2 tasks to 200.
void BM_SimStepCost(benchmark::State& state) {
  const int pairs = static_cast<int>(state.range(0)) / 2;
  std::uint64_t seed = 0;
  std::uint64_t steps = 0;
  for (auto _ : state) {
    weft::sim::RandomWalkSource source(++seed);
    steps += weft::sim::run_once([pairs] { return channel_pairs(pairs, 10); },
                                 weft::sim::SimOptions{}, source)
                 .steps;
  }
  state.counters["steps/s"] = benchmark::Counter(static_cast<double>(steps),
                                                 benchmark::Counter::kIsRate);
  state.counters["schedules/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SimStepCost)
    ->ArgName("tasks")
    ->Arg(2)
    ->Arg(4)
    ->Arg(10)
    ->Arg(50)
    ->Arg(200)
    ->Unit(benchmark::kMicrosecond);

void BM_LocalExecutorChannelPairs(benchmark::State& state) {
  for (auto _ : state) {
    weft::LocalExecutor executor;
    executor.block_on(channel_pairs(5, 10));
  }
  state.counters["runs/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LocalExecutorChannelPairs)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
