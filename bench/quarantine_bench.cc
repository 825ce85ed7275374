// What the heap quarantine costs: a scenario that allocates and frees
// ordinary heap objects on every step, simulated with the quarantine
// taking every freed block (the default, 64 MiB) and with it off
// (quarantine_bytes_max = 0), in the same binary and sitting. The ratio
// of the two is the overhead a simulated test pays for use-after-drop
// detection without ASan.
//
//   bazel run -c opt //bench:quarantine_bench
#include <benchmark/benchmark.h>

#include <memory>
#include <string>
#include <vector>

#include "runtime/weft.h"
#include "sim/memory/heap_quarantine.h"
#include "sim/search/strategies.h"
#include "sim/sweep/sweep.h"

namespace {

using weft::Async;

// Workers pass messages (heap strings in heap vectors) through channels:
// a few allocations and frees per poll, as ordinary async code does.
Async<void> churn(int workers, int messages) {
  weft::JoinSet<void> set;
  for (int w = 0; w < workers; ++w) {
    auto [tx, rx] = weft::mpsc::bounded<std::vector<std::string>>(2);
    set.spawn([](weft::mpsc::Sender<std::vector<std::string>> tx,
                 int messages) -> Async<void> {
      for (int i = 0; i < messages; ++i) {
        std::vector<std::string> batch(4, std::string(48, 'x'));
        (void)co_await tx.send(std::move(batch));
      }
    }(std::move(tx), messages));
    set.spawn(
        [](weft::mpsc::Receiver<std::vector<std::string>> rx) -> Async<void> {
          while (auto batch = co_await rx.recv()) {
            auto copy = std::make_unique<std::string>((*batch)[0]);
            benchmark::DoNotOptimize(copy);
          }
        }(std::move(rx)));
  }
  while (co_await set.join_next()) {
  }
}

void run_churn(benchmark::State& state, std::size_t quarantine_bytes) {
  weft::sim::SimOptions options;
  options.limits.quarantine_bytes_max = quarantine_bytes;
  std::uint64_t steps = 0;
  std::uint64_t seed = 0;
  for (auto _ : state) {
    weft::sim::RandomWalkSource source(++seed);
    steps +=
        weft::sim::run_once([] { return churn(4, 50); }, options, source).steps;
  }
  state.counters["runs/s"] = benchmark::Counter(
      static_cast<double>(state.iterations()), benchmark::Counter::kIsRate);
  state.counters["steps/s"] = benchmark::Counter(static_cast<double>(steps),
                                                 benchmark::Counter::kIsRate);
  state.SetLabel(weft::sim::heap_quarantine_linked()
                     ? "heap routed through the quarantine"
                     : "heap routing not active in this build");
}

void BM_ChurnQuarantineOff(benchmark::State& state) { run_churn(state, 0); }
BENCHMARK(BM_ChurnQuarantineOff)->Unit(benchmark::kMicrosecond);

void BM_ChurnQuarantineOn(benchmark::State& state) {
  run_churn(state, 64u << 20);
}
BENCHMARK(BM_ChurnQuarantineOn)->Unit(benchmark::kMicrosecond);

void BM_ChurnQuarantineSmall(benchmark::State& state) {
  run_churn(state, 256u << 10);
}
BENCHMARK(BM_ChurnQuarantineSmall)->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
