// weft::fs measured: RealFileSystem next to the plain POSIX calls it makes
// (pwrite, pread, fdatasync of 4 KiB, in one sitting, so the ratio is the
// cost of the future, the blocking pool and the copies), and the simulated
// disk's small writes per second, unperturbed and under the default
// perturbations. Real time throughout: the pool's threads do the work.
// The pool and io_uring's reaper start threads: their benchmarks run last
// (bench/README.md).
#include <benchmark/benchmark.h>
#include <fcntl.h>
#include <stdlib.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <vector>

#include "runtime/weft.h"
#include "sim/search/strategies.h"
#include "sim/storage/sim_disk.h"
#include "sim/sweep/single_run.h"

namespace {

constexpr std::size_t kBlock = 4096;

std::string scratch_file() {
  static std::string folder = [] {
    std::string pattern = "/tmp/weft-fs-bench-XXXXXX";
    if (::mkdtemp(pattern.data()) == nullptr) std::abort();
    return pattern;
  }();
  static int counter = 0;
  return folder + "/f" + std::to_string(counter++);
}

// What each iteration does, on a descriptor or a weft::fs::File.
enum class Op { kWrite, kRead, kSyncedWrite };

void posix(benchmark::State& state, Op op) {
  const std::string path = scratch_file();
  const int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  std::vector<char> block(kBlock, 'p');
  if (::pwrite(fd, block.data(), kBlock, 0) != kBlock) std::abort();
  for (auto _ : state) {
    ssize_t n = op == Op::kRead ? ::pread(fd, block.data(), kBlock, 0)
                                : ::pwrite(fd, block.data(), kBlock, 0);
    if (op == Op::kSyncedWrite) ::fdatasync(fd);
    benchmark::DoNotOptimize(n);
  }
  ::close(fd);
  ::unlink(path.c_str());
}

void weft_fs(benchmark::State& state, Op op,
             weft::fs::RealFsOptions::Backend backend) {
  weft::fs::RealFileSystem fs({backend, 1});
  weft::LocalExecutor executor;
  executor.set_stall_timeout(std::chrono::seconds(60));
  const std::string path = scratch_file();
  weft::fs::File file =
      executor.block_on(fs.open(path, weft::fs::OpenOptions::create_truncate()))
          .value();
  std::vector<std::byte> block(kBlock, std::byte{'w'});
  if (!executor.block_on(file.write_all_at(0, block))) std::abort();
  for (auto _ : state) {
    if (op == Op::kRead) {
      benchmark::DoNotOptimize(executor.block_on(file.read_at(0, block)));
    } else {
      benchmark::DoNotOptimize(executor.block_on(file.write_at(0, block)));
      if (op == Op::kSyncedWrite) (void)executor.block_on(file.sync_data());
    }
  }
  file.close();
  ::unlink(path.c_str());
}

using Backend = weft::fs::RealFsOptions::Backend;

void BM_Posix_Write4k(benchmark::State& s) { posix(s, Op::kWrite); }
void BM_WeftInline_Write4k(benchmark::State& s) {
  weft_fs(s, Op::kWrite, Backend::kInline);
}
void BM_Posix_Read4k(benchmark::State& s) { posix(s, Op::kRead); }
void BM_WeftInline_Read4k(benchmark::State& s) {
  weft_fs(s, Op::kRead, Backend::kInline);
}
void BM_Posix_SyncedWrite4k(benchmark::State& s) { posix(s, Op::kSyncedWrite); }
void BM_WeftInline_SyncedWrite4k(benchmark::State& s) {
  weft_fs(s, Op::kSyncedWrite, Backend::kInline);
}

// Small writes on a simulated disk: one run of kWrites 64-byte appends.
constexpr int kWrites = 10000;

weft::Async<void> small_writes() {
  weft::sim::SimDisk disk;
  weft::fs::File file =
      (co_await disk.fs().open("/log", weft::fs::OpenOptions::create_or_open()))
          .value();
  std::vector<std::byte> record(64, std::byte{'r'});
  for (int i = 0; i < kWrites; ++i) {
    (void)co_await file.write_at(static_cast<std::uint64_t>(i) * 64, record);
    if (i % 1000 == 999) (void)co_await file.sync_data();
  }
}

template <bool kPerturbed>
void BM_SimDisk_SmallWrites(benchmark::State& state) {
  weft::sim::SimOptions options;
  if (!kPerturbed) options.perturbations = weft::sim::Perturbations::none();
  std::uint64_t seed = 1;
  for (auto _ : state) {
    weft::sim::RandomWalkSource random(seed++);
    weft::sim::RunResult run =
        weft::sim::run_once(small_writes, options, random);
    if (run.failure) state.SkipWithError(run.failure->message.c_str());
  }
  state.counters["writes/s"] =
      benchmark::Counter(static_cast<double>(state.iterations()) * kWrites,
                         benchmark::Counter::kIsRate);
}

// Last: these start a thread (the blocking pool's, io_uring's reaper).
void BM_WeftPool_Write4k(benchmark::State& s) {
  weft_fs(s, Op::kWrite, Backend::kThreadPool);
}
void BM_WeftPool_Read4k(benchmark::State& s) {
  weft_fs(s, Op::kRead, Backend::kThreadPool);
}
void BM_WeftPool_SyncedWrite4k(benchmark::State& s) {
  weft_fs(s, Op::kSyncedWrite, Backend::kThreadPool);
}
void BM_WeftIoUring_Write4k(benchmark::State& s) {
  weft_fs(s, Op::kWrite, Backend::kIoUring);
}
void BM_WeftIoUring_Read4k(benchmark::State& s) {
  weft_fs(s, Op::kRead, Backend::kIoUring);
}
void BM_WeftIoUring_SyncedWrite4k(benchmark::State& s) {
  weft_fs(s, Op::kSyncedWrite, Backend::kIoUring);
}

}  // namespace

BENCHMARK(BM_Posix_Write4k)->UseRealTime();
BENCHMARK(BM_WeftInline_Write4k)->UseRealTime();
BENCHMARK(BM_Posix_Read4k)->UseRealTime();
BENCHMARK(BM_WeftInline_Read4k)->UseRealTime();
BENCHMARK(BM_Posix_SyncedWrite4k)->UseRealTime();
BENCHMARK(BM_WeftInline_SyncedWrite4k)->UseRealTime();
BENCHMARK(BM_SimDisk_SmallWrites<false>)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimDisk_SmallWrites<true>)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WeftPool_Write4k)->UseRealTime();
BENCHMARK(BM_WeftPool_Read4k)->UseRealTime();
BENCHMARK(BM_WeftPool_SyncedWrite4k)->UseRealTime();
BENCHMARK(BM_WeftIoUring_Write4k)->UseRealTime();
BENCHMARK(BM_WeftIoUring_Read4k)->UseRealTime();
BENCHMARK(BM_WeftIoUring_SyncedWrite4k)->UseRealTime();

BENCHMARK_MAIN();
