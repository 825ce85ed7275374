// weft's executors next to Asio on the same machine, same workloads:
//   ring         10 tasks pass a token around 1,000 times (one wake each)
//   spawn        spawn a trivial task and run it to completion
// (the thread pool's spawn is in thread_pool_bench: it starts threads)
//   timers       1,000 tasks each wait on a timer three times
// plus the bytes allocated per spawned task. Ratios are in bench/README.md.
//
//   bazel run -c opt //bench:runtime_bench
#include <benchmark/benchmark.h>

#include <asio.hpp>
#include <asio/experimental/channel.hpp>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <new>
#include <vector>

#include "bench/workloads.h"
#include "runtime/weft.h"
#include "sim/search/strategies.h"
#include "sim/sweep/sweep.h"

namespace {
std::atomic<std::uint64_t> allocated_bytes{0};
}  // namespace

// Counts allocated bytes, for the bytes-per-task counters.
void* operator new(std::size_t size) {
  allocated_bytes.fetch_add(size, std::memory_order_relaxed);
  if (void* block = std::malloc(size == 0 ? 1 : size)) return block;
  throw std::bad_alloc();
}
void operator delete(void* block) noexcept { std::free(block); }
void operator delete(void* block, std::size_t) noexcept { std::free(block); }

namespace {

using namespace std::chrono_literals;
constexpr int kRingTasks = 10;
constexpr int kRingRounds = 1000;
constexpr int kTimerTasks = 1000;

// --- weft workloads
// -----------------------------------------------------------

weft::Async<void> weft_ring() {
  return weft::bench::ring(kRingTasks, kRingRounds);
}

// The tasks' handles are awaited in order, so the figure is the timers'
// (a JoinSet's bookkeeping is not part of it).
weft::Async<void> weft_timers() {
  std::vector<weft::JoinHandle<void>> handles;
  handles.reserve(kTimerTasks);
  for (int i = 0; i < kTimerTasks; ++i) {
    handles.push_back(weft::spawn([]() -> weft::Async<void> {
      for (int k = 0; k < 3; ++k) co_await weft::sleep_for(1us);
    }()));
  }
  for (auto& handle : handles) co_await std::move(handle);
}

weft::Async<int> trivial() { co_return 1; }

void BM_WeftLocalRing(benchmark::State& state) {
  for (auto _ : state) {
    weft::LocalExecutor executor;
    executor.block_on(weft_ring());
  }
  state.SetItemsProcessed(state.iterations() * kRingTasks * kRingRounds);
}
BENCHMARK(BM_WeftLocalRing)->Unit(benchmark::kMillisecond);

void BM_WeftSimRing(benchmark::State& state) {
  std::uint64_t seed = 0;
  for (auto _ : state) {
    weft::sim::RandomWalkSource source(++seed);
    (void)weft::sim::run_once(weft_ring, weft::sim::SimOptions{}, source);
  }
  state.SetItemsProcessed(state.iterations() * kRingTasks * kRingRounds);
}
BENCHMARK(BM_WeftSimRing)->Unit(benchmark::kMillisecond);

void BM_WeftLocalSpawn(benchmark::State& state) {
  weft::LocalExecutor executor;
  const std::uint64_t before = allocated_bytes.load();
  for (auto _ : state) {
    auto handle = executor.spawn(trivial());
    executor.run_until_stalled();
    benchmark::DoNotOptimize(handle.is_finished());
  }
  state.counters["bytes/task"] =
      static_cast<double>(allocated_bytes.load() - before) /
      static_cast<double>(state.iterations());
}
BENCHMARK(BM_WeftLocalSpawn);

void BM_WeftSimSpawn(benchmark::State& state) {
  // One simulated run spawning N trivial tasks; time per task.
  const std::uint64_t before = allocated_bytes.load();
  const auto tasks = static_cast<int>(state.range(0));
  for (auto _ : state) {
    weft::sim::FifoSource fifo;
    (void)weft::sim::run_once(
        [tasks]() -> weft::Async<void> {
          return [](int tasks) -> weft::Async<void> {
            for (int i = 0; i < tasks; ++i) co_await weft::spawn(trivial());
          }(tasks);
        },
        weft::sim::SimOptions{}, fifo);
  }
  state.SetItemsProcessed(state.iterations() * tasks);
  state.counters["bytes/task"] =
      static_cast<double>(allocated_bytes.load() - before) /
      static_cast<double>(state.iterations() * tasks);
}
BENCHMARK(BM_WeftSimSpawn)->Arg(1000);

void BM_WeftLocalTimers(benchmark::State& state) {
  for (auto _ : state) {
    weft::LocalExecutor executor;
    executor.block_on(weft_timers());
  }
  state.SetItemsProcessed(state.iterations() * kTimerTasks * 3);
}
BENCHMARK(BM_WeftLocalTimers)->Unit(benchmark::kMillisecond);

void BM_WeftSimTimers(benchmark::State& state) {
  std::uint64_t seed = 0;
  for (auto _ : state) {
    weft::sim::RandomWalkSource source(++seed);
    (void)weft::sim::run_once(weft_timers, weft::sim::SimOptions{}, source);
  }
  state.SetItemsProcessed(state.iterations() * kTimerTasks * 3);
}
BENCHMARK(BM_WeftSimTimers)->Unit(benchmark::kMillisecond);

// --- Asio workloads
// -----------------------------------------------------------
// The ring hands the token over an awaitable channel of capacity one per
// member (asio::experimental::channel): a sent token waits in the channel
// as a stored permit does in Notify.

// (Asio 1.22 cannot instantiate a channel of void(error_code) alone.)
using AsioTurn = asio::experimental::channel<void(asio::error_code, int)>;

asio::awaitable<void> asio_ring_member(std::vector<AsioTurn>* turns, int i) {
  for (int r = 0; r < kRingRounds; ++r) {
    co_await (*turns)[i].async_receive(asio::use_awaitable);
    (*turns)[(i + 1) % kRingTasks].try_send(asio::error_code{}, 1);
  }
}

void BM_AsioRing(benchmark::State& state) {
  for (auto _ : state) {
    asio::io_context io(1);
    std::vector<AsioTurn> turns;
    turns.reserve(kRingTasks);
    for (int i = 0; i < kRingTasks; ++i) turns.emplace_back(io, 1);
    for (int i = 0; i < kRingTasks; ++i) {
      asio::co_spawn(io, asio_ring_member(&turns, i), asio::detached);
    }
    asio::post(io, [&] { turns[0].try_send(asio::error_code{}, 1); });
    io.run();
  }
  state.SetItemsProcessed(state.iterations() * kRingTasks * kRingRounds);
}
BENCHMARK(BM_AsioRing)->Unit(benchmark::kMillisecond);

asio::awaitable<int> asio_trivial() { co_return 1; }

void BM_AsioSpawn(benchmark::State& state) {
  asio::io_context io(1);
  const std::uint64_t before = allocated_bytes.load();
  for (auto _ : state) {
    asio::co_spawn(io, asio_trivial(), asio::detached);
    io.run();
    io.restart();
  }
  state.counters["bytes/task"] =
      static_cast<double>(allocated_bytes.load() - before) /
      static_cast<double>(state.iterations());
}
BENCHMARK(BM_AsioSpawn);

asio::awaitable<void> asio_timer_task() {
  asio::steady_timer timer(co_await asio::this_coro::executor);
  for (int k = 0; k < 3; ++k) {
    timer.expires_after(1us);
    co_await timer.async_wait(asio::use_awaitable);
  }
}

void BM_AsioTimers(benchmark::State& state) {
  for (auto _ : state) {
    asio::io_context io(1);
    for (int i = 0; i < kTimerTasks; ++i) {
      asio::co_spawn(io, asio_timer_task(), asio::detached);
    }
    io.run();
  }
  state.SetItemsProcessed(state.iterations() * kTimerTasks * 3);
}
BENCHMARK(BM_AsioTimers)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
