// weft's executors next to Asio on the same machine, same workloads:
//   ring         10 tasks pass a token around 1,000 times (one wake each)
//   spawn        spawn a trivial task and run it to completion
//   timers       1,000 tasks each wait on a timer three times
// plus the bytes allocated per spawned task. Ratios are in bench/README.md.
//
//   bazel run -c opt //bench:runtime_bench
#include <benchmark/benchmark.h>

#include <asio.hpp>
#include <atomic>
#include <chrono>
#include <cstdlib>
#include <new>
#include <vector>

#include "runtime/weft.h"
#include "sim/strategies.h"
#include "sim/sweep.h"

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
  std::vector<weft::Notify> turns(kRingTasks);
  weft::JoinSet<void> set;
  for (int i = 0; i < kRingTasks; ++i) {
    set.spawn([](std::vector<weft::Notify>* turns, int i) -> weft::Async<void> {
      for (int r = 0; r < kRingRounds; ++r) {
        co_await (*turns)[i].notified();
        (*turns)[(i + 1) % kRingTasks].notify_one();
      }
    }(&turns, i));
  }
  turns[0].notify_one();
  while (co_await set.join_next()) {
  }
}

weft::Async<void> weft_timers() {
  weft::JoinSet<void> set;
  for (int i = 0; i < kTimerTasks; ++i) {
    set.spawn([]() -> weft::Async<void> {
      for (int k = 0; k < 3; ++k) co_await weft::sleep_for(1us);
    }());
  }
  while (co_await set.join_next()) {
  }
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

void BM_WeftThreadPoolSpawn(benchmark::State& state) {
  weft::ThreadPoolExecutor pool(2);
  const std::uint64_t before = allocated_bytes.load();
  for (auto _ : state) {
    benchmark::DoNotOptimize(pool.block_on(trivial()));
  }
  state.counters["bytes/task"] =
      static_cast<double>(allocated_bytes.load() - before) /
      static_cast<double>(state.iterations());
}
BENCHMARK(BM_WeftThreadPoolSpawn);

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
// ----------------------------------------------------------- A steady_timer
// that never expires serves as an event: cancelling it wakes its waiter (the
// usual way to signal a coroutine in plain Asio).

asio::awaitable<void> asio_ring_member(std::vector<asio::steady_timer>* turns,
                                       int i) {
  for (int r = 0; r < kRingRounds; ++r) {
    asio::error_code error;
    co_await (*turns)[i].async_wait(
        asio::redirect_error(asio::use_awaitable, error));
    (*turns)[i].expires_at(asio::steady_timer::time_point::max());
    (*turns)[(i + 1) % kRingTasks].cancel_one();
  }
}

void BM_AsioRing(benchmark::State& state) {
  for (auto _ : state) {
    asio::io_context io(1);
    std::vector<asio::steady_timer> turns;
    for (int i = 0; i < kRingTasks; ++i) {
      turns.emplace_back(io, asio::steady_timer::time_point::max());
    }
    for (int i = 0; i < kRingTasks; ++i) {
      asio::co_spawn(io, asio_ring_member(&turns, i), asio::detached);
    }
    asio::post(io, [&] { turns[0].cancel_one(); });
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
