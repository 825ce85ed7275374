// The memory model of weft::sync::atomic on the classic litmus shapes: each
// runs under exhaustive search (every schedule and every older store a
// load may read), and the set of outcomes reached must be exactly what the
// C++ memory model allows, minus the outcomes the simulator documents it
// does not produce (sim/threads/memory_model.cc: a store entering the
// modification order before one that already ran; a load reading a store
// that has not run yet). No outcome the model forbids may appear.
#include <gtest/gtest.h>

#include <cstdio>
#include <functional>
#include <set>
#include <string>
#include <vector>

#include "runtime/sync/sync.h"
#include "runtime/weft.h"
#include "sim/decision/replay_source.h"
#include "sim/search/exhaustive.h"
#include "sim/sweep/single_run.h"

namespace weft::sim {
namespace {

using Outcome = std::vector<int>;
constexpr auto kRelaxed = std::memory_order_relaxed;
constexpr auto kAcquire = std::memory_order_acquire;
constexpr auto kRelease = std::memory_order_release;
constexpr auto kSeqCst = std::memory_order_seq_cst;

// What the last run's threads read (set by the scenario after its joins).
Outcome g_outcome;

struct ExploreResult {
  std::set<Outcome> outcomes;
  std::uint64_t runs = 0;
};

// Every run exhaustive search makes with at most `perturbations` decided
// thread switches and older-store reads.
ExploreResult explore(const Scenario& scenario, std::uint32_t perturbations,
                      const SimOptions& options = SimOptions{}) {
  ExploreResult result;
  ExhaustiveExplorer explorer(perturbations, 10'000);
  for (;;) {
    const DecisionList prefix = explorer.next_prefix();
    ReplaySource source(prefix);
    g_outcome.clear();
    const RunResult run = run_once(scenario, options, source);
    EXPECT_FALSE(run.failure.has_value()) << run.failure->message;
    result.outcomes.insert(g_outcome);
    ++result.runs;
    if (!explorer.advance(run.decisions) || result.runs >= 500'000) break;
  }
  return result;
}

std::string text(const Outcome& outcome) {
  std::string out = "(";
  for (std::size_t i = 0; i < outcome.size(); ++i) {
    out += (i > 0 ? "," : "") + std::to_string(outcome[i]);
  }
  return out + ")";
}

struct Litmus {
  std::string name;
  Scenario scenario;
  // What the C++ memory model allows; of those, what weft documents it
  // does not produce; and outcomes the model forbids (checked absent).
  std::set<Outcome> allowed;
  std::set<Outcome> not_modelled;
  std::set<Outcome> forbidden;
  std::uint32_t perturbations = 4;
};

// Message passing: data then flag in one thread, flag then data in the
// other. `flag_store`/`flag_load` order the flag; with `fences` the flag
// is relaxed and fences order it instead.
Scenario message_passing(std::memory_order flag_store,
                         std::memory_order flag_load, bool fences) {
  return [=]() -> Async<void> {
    sync::atomic<int> data{0};
    sync::atomic<int> flag{0};
    int r1 = -1;
    int r2 = -1;
    sync::thread writer([&] {
      data.store(1, kRelaxed);
      if (fences) sync::atomic_thread_fence(kRelease);
      flag.store(1, flag_store);
    });
    sync::thread reader([&] {
      r1 = flag.load(flag_load);
      if (fences) sync::atomic_thread_fence(kAcquire);
      r2 = data.load(kRelaxed);
    });
    writer.join();
    reader.join();
    g_outcome = {r1, r2};
    co_return;
  };
}

// Store buffering: each thread stores its variable, then loads the other.
Scenario store_buffering(std::memory_order store, std::memory_order load,
                         bool seq_cst_fences) {
  return [=]() -> Async<void> {
    sync::atomic<int> x{0};
    sync::atomic<int> y{0};
    int r1 = -1;
    int r2 = -1;
    sync::thread a([&] {
      x.store(1, store);
      if (seq_cst_fences) sync::atomic_thread_fence(kSeqCst);
      r1 = y.load(load);
    });
    sync::thread b([&] {
      y.store(1, store);
      if (seq_cst_fences) sync::atomic_thread_fence(kSeqCst);
      r2 = x.load(load);
    });
    a.join();
    b.join();
    g_outcome = {r1, r2};
    co_return;
  };
}

// Independent reads of independent writes: do two readers agree on the
// order of two stores to different locations?
Scenario iriw(std::memory_order store, std::memory_order load) {
  return [=]() -> Async<void> {
    sync::atomic<int> x{0};
    sync::atomic<int> y{0};
    int r[4] = {-1, -1, -1, -1};
    sync::thread wx([&] { x.store(1, store); });
    sync::thread wy([&] { y.store(1, store); });
    sync::thread first([&] {
      r[0] = x.load(load);
      r[1] = y.load(load);
    });
    sync::thread second([&] {
      r[2] = y.load(load);
      r[3] = x.load(load);
    });
    wx.join();
    wy.join();
    first.join();
    second.join();
    g_outcome = {r[0], r[1], r[2], r[3]};
    co_return;
  };
}

// Write-to-read causality: a store seen by a thread that then publishes
// must be seen by whoever sees that publication.
Scenario wrc(std::memory_order order_store, std::memory_order order_load) {
  return [=]() -> Async<void> {
    sync::atomic<int> x{0};
    sync::atomic<int> y{0};
    int r1 = -1;
    int r2 = -1;
    int r3 = -1;
    sync::thread a([&] { x.store(1, order_store); });
    sync::thread b([&] {
      r1 = x.load(order_load);
      y.store(1, order_store);
    });
    sync::thread c([&] {
      r2 = y.load(order_load);
      r3 = x.load(kRelaxed);
    });
    a.join();
    b.join();
    c.join();
    g_outcome = {r1, r2, r3};
    co_return;
  };
}

// 2+2W: two threads store to x and y in opposite orders; the outcome is
// the final values.
Scenario two_plus_two_writes() {
  return []() -> Async<void> {
    sync::atomic<int> x{0};
    sync::atomic<int> y{0};
    sync::thread a([&] {
      x.store(1, kRelaxed);
      y.store(2, kRelaxed);
    });
    sync::thread b([&] {
      y.store(1, kRelaxed);
      x.store(2, kRelaxed);
    });
    a.join();
    b.join();
    g_outcome = {x.load(), y.load()};
    co_return;
  };
}

// Load buffering: each thread loads one variable, then stores the other.
Scenario load_buffering() {
  return []() -> Async<void> {
    sync::atomic<int> x{0};
    sync::atomic<int> y{0};
    int r1 = -1;
    int r2 = -1;
    sync::thread a([&] {
      r1 = x.load(kRelaxed);
      y.store(1, kRelaxed);
    });
    sync::thread b([&] {
      r2 = y.load(kRelaxed);
      x.store(1, kRelaxed);
    });
    a.join();
    b.join();
    g_outcome = {r1, r2};
    co_return;
  };
}

// Coherence of reads: two loads of one thread never see two stores of
// another in the opposite order.
Scenario corr() {
  return []() -> Async<void> {
    sync::atomic<int> x{0};
    int r1 = -1;
    int r2 = -1;
    sync::thread writer([&] {
      x.store(1, kRelaxed);
      x.store(2, kRelaxed);
    });
    sync::thread reader([&] {
      r1 = x.load(kRelaxed);
      r2 = x.load(kRelaxed);
    });
    writer.join();
    reader.join();
    g_outcome = {r1, r2};
    co_return;
  };
}

// Coherence of a write then a read: a thread reads its own store or a
// newer one, never the value before it.
Scenario cowr() {
  return []() -> Async<void> {
    sync::atomic<int> x{0};
    int r1 = -1;
    sync::thread a([&] {
      x.store(1, kRelaxed);
      r1 = x.load(kRelaxed);
    });
    sync::thread b([&] { x.store(2, kRelaxed); });
    a.join();
    b.join();
    g_outcome = {r1};
    co_return;
  };
}

// Read-read coherence through happens-before: what one thread read, a
// thread that synchronized with it afterwards cannot read older.
Scenario corr_through_happens_before() {
  return []() -> Async<void> {
    sync::atomic<int> x{0};
    sync::atomic<int> flag{0};
    int r1 = -1;
    int r2 = -1;
    int r3 = -1;
    sync::thread writer([&] { x.store(1, kRelaxed); });
    sync::thread first([&] {
      r1 = x.load(kRelaxed);
      flag.store(1, kRelease);
    });
    sync::thread second([&] {
      r2 = flag.load(kAcquire);
      r3 = x.load(kRelaxed);
    });
    writer.join();
    first.join();
    second.join();
    g_outcome = {r1, r2, r3};
    co_return;
  };
}

// A release sequence: a relaxed read-modify-write by another thread
// continues the release store it reads, so an acquire load that reads the
// RMW's value synchronizes with the release store.
Scenario release_sequence() {
  return []() -> Async<void> {
    sync::atomic<int> data{0};
    sync::atomic<int> flag{0};
    int r1 = -1;
    int r2 = -1;
    sync::thread writer([&] {
      data.store(1, kRelaxed);
      flag.store(1, kRelease);
    });
    sync::thread adder([&] { flag.fetch_add(10, kRelaxed); });
    sync::thread reader([&] {
      r1 = flag.load(kAcquire);
      r2 = data.load(kRelaxed);
    });
    writer.join();
    adder.join();
    reader.join();
    g_outcome = {r1, r2};
    co_return;
  };
}

std::set<Outcome> all_pairs() { return {{0, 0}, {0, 1}, {1, 0}, {1, 1}}; }

std::vector<Litmus> litmus_table() {
  std::vector<Litmus> table;
  table.push_back({"MP relaxed",
                   message_passing(kRelaxed, kRelaxed, false),
                   all_pairs(),
                   {},
                   {}});
  table.push_back({"MP release/acquire",
                   message_passing(kRelease, kAcquire, false),
                   {{0, 0}, {0, 1}, {1, 1}},
                   {},
                   {{1, 0}}});
  table.push_back({"MP with fences",
                   message_passing(kRelaxed, kRelaxed, true),
                   {{0, 0}, {0, 1}, {1, 1}},
                   {},
                   {{1, 0}}});
  table.push_back({"SB relaxed",
                   store_buffering(kRelaxed, kRelaxed, false),
                   all_pairs(),
                   {},
                   {}});
  table.push_back({"SB release/acquire",
                   store_buffering(kRelease, kAcquire, false),
                   all_pairs(),
                   {},
                   {}});
  table.push_back({"SB seq_cst",
                   store_buffering(kSeqCst, kSeqCst, false),
                   {{0, 1}, {1, 0}, {1, 1}},
                   {},
                   {{0, 0}}});
  table.push_back({"SB seq_cst fences",
                   store_buffering(kRelaxed, kRelaxed, true),
                   {{0, 1}, {1, 0}, {1, 1}},
                   {},
                   {{0, 0}}});
  {
    // With release/acquire the two readers may disagree on the order of
    // the two stores ((1,0,1,0)); seq_cst gives one order all agree on.
    std::set<Outcome> all;
    for (int i = 0; i < 16; ++i) {
      all.insert({i & 1, (i >> 1) & 1, (i >> 2) & 1, (i >> 3) & 1});
    }
    std::set<Outcome> sequential = all;
    sequential.erase({1, 0, 1, 0});
    table.push_back(
        {"IRIW release/acquire", iriw(kRelease, kAcquire), all, {}, {}, 3});
    table.push_back({"IRIW seq_cst",
                     iriw(kSeqCst, kSeqCst),
                     sequential,
                     {},
                     {{1, 0, 1, 0}},
                     3});
  }
  {
    std::set<Outcome> all;
    for (int i = 0; i < 8; ++i) all.insert({i & 1, (i >> 1) & 1, (i >> 2) & 1});
    std::set<Outcome> causal = all;
    causal.erase({1, 1, 0});
    table.push_back({"WRC relaxed", wrc(kRelaxed, kRelaxed), all, {}, {}});
    table.push_back({"WRC release/acquire",
                     wrc(kRelease, kAcquire),
                     causal,
                     {},
                     {{1, 1, 0}}});
  }
  table.push_back({"2+2W relaxed (final values)",
                   two_plus_two_writes(),
                   {{1, 1}, {1, 2}, {2, 1}, {2, 2}},
                   {{1, 1}},
                   {}});
  table.push_back({"LB relaxed", load_buffering(), all_pairs(), {{1, 1}}, {}});
  table.push_back({"CoRR",
                   corr(),
                   {{0, 0}, {0, 1}, {0, 2}, {1, 1}, {1, 2}, {2, 2}},
                   {},
                   {{1, 0}, {2, 0}, {2, 1}}});
  table.push_back({"CoWR", cowr(), {{1}, {2}}, {}, {{0}}});
  {
    std::set<Outcome> all;
    for (int i = 0; i < 8; ++i) all.insert({i & 1, (i >> 1) & 1, (i >> 2) & 1});
    std::set<Outcome> coherent = all;
    coherent.erase({1, 1, 0});
    table.push_back({"CoRR through happens-before",
                     corr_through_happens_before(),
                     coherent,
                     {},
                     {{1, 1, 0}}});
  }
  table.push_back({"release sequence through a relaxed RMW",
                   release_sequence(),
                   {{0, 0}, {0, 1}, {1, 1}, {10, 0}, {10, 1}, {11, 1}},
                   {},
                   {{1, 0}, {11, 0}}});
  return table;
}

TEST(Litmus, EveryOutcomeTheModelAllowsAndNoneItForbids) {
  for (const Litmus& litmus : litmus_table()) {
    SCOPED_TRACE(litmus.name);
    const ExploreResult explored =
        explore(litmus.scenario, litmus.perturbations);
    std::printf("%-40s %8llu runs, %zu outcomes\n", litmus.name.c_str(),
                static_cast<unsigned long long>(explored.runs),
                explored.outcomes.size());
    std::set<Outcome> expected;
    for (const Outcome& outcome : litmus.allowed) {
      if (!litmus.not_modelled.contains(outcome)) expected.insert(outcome);
    }
    for (const Outcome& outcome : expected) {
      EXPECT_TRUE(explored.outcomes.contains(outcome))
          << "allowed outcome " << text(outcome) << " never reached in "
          << explored.runs << " runs";
    }
    for (const Outcome& outcome : explored.outcomes) {
      EXPECT_TRUE(expected.contains(outcome))
          << "outcome " << text(outcome)
          << (litmus.forbidden.contains(outcome)
                  ? " is forbidden by the C++ memory model"
                  : " is not in the table");
    }
  }
}

// With weak memory off (perturbations.stale_read_probability = 0), the
// same shapes are sequentially consistent: store buffering's (0,0) and
// message passing's (1,0) never happen.
TEST(Litmus, WeakMemoryOffIsSequentiallyConsistent) {
  SimOptions options;
  options.perturbations.stale_read_probability = 0;
  const ExploreResult sb =
      explore(store_buffering(kRelaxed, kRelaxed, false), 4, options);
  EXPECT_EQ(sb.outcomes, (std::set<Outcome>{{0, 1}, {1, 0}, {1, 1}}));
  const ExploreResult mp =
      explore(message_passing(kRelaxed, kRelaxed, false), 4, options);
  EXPECT_EQ(mp.outcomes, (std::set<Outcome>{{0, 0}, {0, 1}, {1, 1}}));
}

}  // namespace
}  // namespace weft::sim
