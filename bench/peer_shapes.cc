// weft's side of bench/peers/compare.sh: the shapes the Rust peers run
// (bench/peers/src), with the same sizes, on LocalExecutor. Each reports
// items per second of real time; the script turns them into ns per op.
//
//   ring           10 tasks pass a token around a ring of Notify, 1,000
//                  rounds (per hand-off)
//   spawn          spawn a trivial task and await its handle, 1,000 times
//                  (per task)
//   yield          10 tasks yield 1,000 times each (per yield)
//   channel_pairs  10 producer/consumer pairs on bounded(1) channels, 100
//                  messages each (per message)
//   timers         1,000 tasks wait on a 1 us timer three times (per wait)
//
// Every shape awaits its tasks' handles in order (no JoinSet), as the
// peers do.
//
//   bazel run -c opt //bench:peer_shapes
#include <benchmark/benchmark.h>

#include <chrono>
#include <vector>

#include "runtime/weft.h"

namespace {

using namespace std::chrono_literals;

constexpr int kRingTasks = 10;
constexpr int kRingRounds = 1000;
constexpr int kSpawns = 1000;
constexpr int kYieldTasks = 10;
constexpr int kYields = 1000;
constexpr int kPairs = 10;
constexpr int kMessages = 100;
constexpr int kTimerTasks = 1000;
constexpr int kTimerWaits = 3;

weft::Async<void> await_all(std::vector<weft::JoinHandle<void>> handles) {
  for (auto& handle : handles) co_await std::move(handle);
}

weft::Async<void> ring() {
  std::vector<weft::Notify> turns(kRingTasks);
  std::vector<weft::JoinHandle<void>> handles;
  for (int i = 0; i < kRingTasks; ++i) {
    handles.push_back(weft::spawn(
        [](std::vector<weft::Notify>* turns, int i) -> weft::Async<void> {
          for (int r = 0; r < kRingRounds; ++r) {
            co_await (*turns)[i].notified();
            (*turns)[(i + 1) % kRingTasks].notify_one();
          }
        }(&turns, i)));
  }
  turns[0].notify_one();
  co_await await_all(std::move(handles));
}

weft::Async<int> trivial() { co_return 1; }

weft::Async<void> spawns() {
  for (int i = 0; i < kSpawns; ++i) {
    benchmark::DoNotOptimize(co_await weft::spawn(trivial()));
  }
}

weft::Async<void> yields() {
  std::vector<weft::JoinHandle<void>> handles;
  for (int t = 0; t < kYieldTasks; ++t) {
    handles.push_back(weft::spawn([]() -> weft::Async<void> {
      for (int i = 0; i < kYields; ++i) co_await weft::yield_now();
    }()));
  }
  co_await await_all(std::move(handles));
}

weft::Async<void> channel_pairs() {
  std::vector<weft::JoinHandle<void>> handles;
  for (int p = 0; p < kPairs; ++p) {
    auto [tx, rx] = weft::mpsc::bounded<int>(1);
    handles.push_back(
        weft::spawn([](weft::mpsc::Sender<int> tx) -> weft::Async<void> {
          for (int i = 0; i < kMessages; ++i) (void)co_await tx.send(i);
        }(std::move(tx))));
    handles.push_back(
        weft::spawn([](weft::mpsc::Receiver<int> rx) -> weft::Async<void> {
          while (co_await rx.recv()) {
          }
        }(std::move(rx))));
  }
  co_await await_all(std::move(handles));
}

weft::Async<void> timers() {
  std::vector<weft::JoinHandle<void>> handles;
  for (int t = 0; t < kTimerTasks; ++t) {
    handles.push_back(weft::spawn([]() -> weft::Async<void> {
      for (int k = 0; k < kTimerWaits; ++k) co_await weft::sleep_for(1us);
    }()));
  }
  co_await await_all(std::move(handles));
}

template <weft::Async<void> (*kShape)(), int kOps>
void local(benchmark::State& state) {
  weft::LocalExecutor executor;
  for (auto _ : state) executor.block_on(kShape());
  state.SetItemsProcessed(state.iterations() * kOps);
}

void BM_ring(benchmark::State& state) {
  local<ring, kRingTasks * kRingRounds>(state);
}
void BM_spawn(benchmark::State& state) { local<spawns, kSpawns>(state); }
void BM_yield(benchmark::State& state) {
  local<yields, kYieldTasks * kYields>(state);
}
void BM_channel_pairs(benchmark::State& state) {
  local<channel_pairs, kPairs * kMessages>(state);
}
void BM_timers(benchmark::State& state) {
  local<timers, kTimerTasks * kTimerWaits>(state);
}

BENCHMARK(BM_ring)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_spawn)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_yield)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_channel_pairs)->UseRealTime()->Unit(benchmark::kMicrosecond);
BENCHMARK(BM_timers)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
