// Parallel sweeps: complete schedules per second of one seed sweep run on
// 1, 2 and 4 threads of this process (SweepConfig::jobs), in real time,
// since the work is spread over threads. The sweep's outcome is the same
// on any number of threads (tests/sim/parallel_sweep_test); this measures
// what the threads buy. It starts threads, so it is a program of its own
// (threads started by one benchmark slow the ones after it in a process).
//
//   bazel run -c opt //bench:parallel_sweep_bench
#include <benchmark/benchmark.h>

#include "bench/workloads.h"
#include "sim/sweep/sweep.h"

namespace {

constexpr std::uint64_t kSeedsPerSweep = 400;

// One clean sweep of `kSeedsPerSweep` random seeds over the channel-pairs
// scenario (5 pairs x 10 messages) per iteration.
void BM_SeedSweep(benchmark::State& state) {
  weft::sim::SweepConfig config;
  config.iterations = kSeedsPerSweep;
  config.jobs = static_cast<std::uint32_t>(state.range(0));
  std::uint64_t runs = 0;
  for (auto _ : state) {
    weft::sim::SweepOutcome outcome =
        weft::sim::run_sweep([] { return weft::bench::channel_pairs(5, 10); },
                             weft::sim::SimOptions{}, config);
    if (outcome.failure) state.SkipWithError("the sweep found a failure");
    runs += outcome.runs;
  }
  state.counters["schedules/s"] = benchmark::Counter(
      static_cast<double>(runs), benchmark::Counter::kIsRate);
}
BENCHMARK(BM_SeedSweep)
    ->ArgName("jobs")
    ->Arg(1)
    ->Arg(2)
    ->Arg(4)
    ->UseRealTime()
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
