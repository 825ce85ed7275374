// Simulator throughput: simulated polls per second and complete schedules
// per second, beside the same workload on the plain LocalExecutor (the
// baseline a ratio is taken against).
//
//   bazel run -c opt //bench:sim_bench
#include <benchmark/benchmark.h>

#include <vector>

#include "runtime/weft.h"
#include "sim/strategies.h"
#include "sim/sweep.h"

namespace {

using weft::Async;

// `tasks` tasks pass one token around a ring of Notify objects, `rounds`
// times: one poll per hand-off.
Async<void> ring(int tasks, int rounds) {
  std::vector<weft::Notify> turns(static_cast<std::size_t>(tasks));
  weft::JoinSet<void> set;
  for (int i = 0; i < tasks; ++i) {
    set.spawn(
        [](std::vector<weft::Notify>* turns, int i, int rounds) -> Async<void> {
          const auto n = turns->size();
          for (int r = 0; r < rounds; ++r) {
            co_await (*turns)[static_cast<std::size_t>(i)].notified();
            (*turns)[(static_cast<std::size_t>(i) + 1) % n].notify_one();
          }
        }(&turns, i, rounds));
  }
  turns[0].notify_one();
  while (co_await set.join_next()) {
  }
}

// Ten tasks ping-ponging on channels (producer/consumer pairs).
Async<void> channel_pairs(int pairs, int messages) {
  weft::JoinSet<void> set;
  for (int p = 0; p < pairs; ++p) {
    auto [tx, rx] = weft::mpsc::bounded<int>(1);
    set.spawn([](weft::mpsc::Sender<int> tx, int messages) -> Async<void> {
      for (int i = 0; i < messages; ++i) (void)co_await tx.send(i);
    }(std::move(tx), messages));
    set.spawn([](weft::mpsc::Receiver<int> rx) -> Async<void> {
      while (co_await rx.recv()) {
      }
    }(std::move(rx)));
  }
  while (co_await set.join_next()) {
  }
}

void BM_LocalExecutorRing(benchmark::State& state) {
  std::uint64_t polls = 0;
  for (auto _ : state) {
    weft::LocalExecutor executor;
    executor.block_on(ring(10, 1000));
    polls += 10 * 1000;
  }
  state.counters["polls/s"] = benchmark::Counter(static_cast<double>(polls),
                                                 benchmark::Counter::kIsRate);
}
BENCHMARK(BM_LocalExecutorRing)->Unit(benchmark::kMillisecond);

template <typename Source>
void sim_ring(benchmark::State& state, auto make_source) {
  std::uint64_t polls = 0;
  std::uint64_t seed = 0;
  for (auto _ : state) {
    Source source = make_source(++seed);
    weft::sim::RunResult run = weft::sim::run_once(
        [] { return ring(10, 1000); }, weft::sim::SimOptions{}, source);
    polls += run.steps;
  }
  state.counters["polls/s"] = benchmark::Counter(static_cast<double>(polls),
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
