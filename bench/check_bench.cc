// The linearizability checker at the scale its peers publish (Porcupine,
// Knossos): a 10,000-operation key-value history of 5 clients, checked key
// by key, linearizable (every operation must be searched) and with one
// stale read (found and shrunk).
//
//   bazel run -c opt //bench:check_bench
#include <benchmark/benchmark.h>

#include <chrono>
#include <cstdint>
#include <string>

#include "check/linearizability.h"
#include "check/models.h"

namespace {

using weft::check::History;
using KV = weft::check::KeyValueModel;

// `operations` puts and gets by `clients` clients over `keys` keys, with
// up to `clients` operations overlapping at a time, as a simulated
// service would record them; with `stale`, one get returns an old value.
History<KV> history(int operations, int clients, int keys, bool stale) {
  History<KV> h;
  std::uint64_t seed = 42;
  auto next = [&seed] {
    seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
    return static_cast<std::uint32_t>(seed >> 33);
  };
  std::vector<std::string> value(static_cast<std::size_t>(keys), "");
  int done = 0;
  while (done < operations) {
    // A batch of concurrent operations on distinct keys (one per client).
    struct Open {
      weft::check::OperationId id;
      int key;
      bool put;
      std::string put_value;
    };
    std::vector<Open> open;
    for (int c = 0; c < clients && done < operations; ++c, ++done) {
      const int key = static_cast<int>(next() % static_cast<unsigned>(keys));
      bool clash = false;
      for (const Open& o : open) clash |= o.key == key;
      if (clash) continue;
      const std::string name = "k" + std::to_string(key);
      if (next() % 2 == 0) {
        const std::string v = std::to_string(done);
        open.push_back({h.invoke(c, KV::put(name, v)), key, true, v});
      } else {
        open.push_back({h.invoke(c, KV::get(name)), key, false, ""});
      }
    }
    for (const Open& o : open) {
      auto& current = value[static_cast<std::size_t>(o.key)];
      if (o.put) {
        h.complete(o.id, KV::ok());
        current = o.put_value;
      } else {
        const bool make_stale =
            stale && done > operations / 2 && !current.empty();
        h.complete(o.id,
                   KV::found(current.empty() ? std::nullopt
                             : make_stale    ? std::optional<std::string>("-1")
                                             : std::optional(current)));
        stale = stale && !make_stale;
      }
    }
  }
  return h;
}

void BM_CheckKeyValue10k(benchmark::State& state) {
  const bool stale = state.range(0) != 0;
  const History<KV> h = history(10'000, 5, 100, stale);
  for (auto _ : state) {
    weft::check::CheckResult result = weft::check::check_linearizable(h);
    if (stale == static_cast<bool>(result)) {
      state.SkipWithError("wrong verdict");
      return;
    }
    benchmark::DoNotOptimize(result);
  }
  state.counters["operations"] = static_cast<double>(h.size());
}
BENCHMARK(BM_CheckKeyValue10k)
    ->ArgName("stale")
    ->Arg(0)
    ->Arg(1)
    ->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
