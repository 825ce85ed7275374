// ThreadPoolExecutor: spawn a trivial task from outside the pool and wait
// for its result (block_on), in real time: the work crosses threads, so
// the calling thread's CPU time would leave most of it out. A program of
// its own, because the pool's threads slow any benchmark run after them in
// the same process.
//
//   bazel run -c opt //bench:thread_pool_bench
#include <benchmark/benchmark.h>

#include "runtime/weft.h"

namespace {

weft::Async<int> trivial() { co_return 1; }

void BM_ThreadPoolSpawnAndJoin(benchmark::State& state) {
  weft::ThreadPoolExecutor pool(static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(pool.block_on(trivial()));
}
BENCHMARK(BM_ThreadPoolSpawnAndJoin)
    ->ArgName("workers")
    ->Arg(1)
    ->Arg(2)
    ->UseRealTime();

weft::Async<int> join_all(std::vector<weft::JoinHandle<int>> handles) {
  int sum = 0;
  for (auto& handle : handles) sum += co_await std::move(handle);
  co_return sum;
}

// Many tasks in flight at once: spawn 1,000 from outside the pool, then
// one block_on joins them all (awaiting each handle in turn).
void BM_ThreadPoolSpawnMany(benchmark::State& state) {
  weft::ThreadPoolExecutor pool(2);
  constexpr int kTasks = 1000;
  for (auto _ : state) {
    std::vector<weft::JoinHandle<int>> handles;
    handles.reserve(kTasks);
    for (int i = 0; i < kTasks; ++i) handles.push_back(pool.spawn(trivial()));
    benchmark::DoNotOptimize(pool.block_on(join_all(std::move(handles))));
  }
  state.SetItemsProcessed(state.iterations() * kTasks);
}
BENCHMARK(BM_ThreadPoolSpawnMany)->UseRealTime()->Unit(benchmark::kMicrosecond);

}  // namespace

BENCHMARK_MAIN();
