// The key-value store of examples/kv, tested two ways: on a simulated
// host whose disk loses, tears and fails what the host's crashes and the
// disk's faults decide (every acknowledged put must survive every crash),
// and on real files in a temporary folder.
#include "examples/kv/kv_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <chrono>
#include <map>
#include <memory>
#include <set>
#include <string>

#include "runtime/executors/local_executor.h"
#include "runtime/fs/real_fs.h"
#include "sim/weft_sim.h"

namespace {

// Three lives of a store on one host: each opens it, checks that every put
// acknowledged before is there, puts more (compacting once), and ends in a
// crash.
WEFT_SIM_TEST(KvStore, EveryAcknowledgedPutSurvivesCrashes) {
  weft::sim::SimNet net;
  weft::sim::SimHost& host = net.add_host("10.0.0.1");
  std::map<std::string, std::string> acknowledged;
  int key = 0;
  for (int life = 0; life < 3; ++life) {
    auto opened = co_await kv::KvStore::open(host.fs(), "/kv");
    if (opened) {
      kv::KvStore& store = opened.value();
      for (const auto& [k, v] : acknowledged) {
        WEFT_ASSERT_EQ(store.get(k).value_or("(missing)"), v);
      }
      for (int i = 0; i < 4; ++i, ++key) {
        const std::string k = "k" + std::to_string(key % 5);
        const std::string v = "v" + std::to_string(key);
        if (!co_await store.put(k, v)) break;  // broken until reopened
        acknowledged[k] = v;
        if (i == 1 && !co_await store.compact()) break;
      }
    }
    host.crash();
    host.restart();
  }
}

// The store as a host's service that restarts: each life opens the store,
// checks every put acknowledged in an earlier life, and puts more. The
// host declared on_restart, so it may crash as any storage operation
// begins (disk-halt@O), between any two steps of a put, a recovery or a
// compaction, and the disk then keeps, loses or tears what was not synced.
struct Lives {
  std::map<std::string, std::string> acknowledged;
  // Values put since the key's last acknowledgement, whose put was cut
  // short by a crash: each may have reached the disk, or not.
  std::map<std::string, std::set<std::string>> maybe;
  int next_key = 0;
};

weft::Async<void> life(weft::sim::SimHost& host, std::shared_ptr<Lives> lives) {
  auto opened = co_await kv::KvStore::open(host.fs(), "/kv");
  if (!opened) co_return;
  kv::KvStore& store = opened.value();
  for (const auto& [k, v] : lives->acknowledged) {
    const std::string found = store.get(k).value_or("(missing)");
    WEFT_ASSERT(found == v || lives->maybe[k].count(found) > 0,
                "a key holds its acknowledged value, or a later one");
  }
  for (int i = 0; i < 6; ++i) {
    const int key = lives->next_key++;
    const std::string k = "k" + std::to_string(key % 4);
    const std::string v = "v" + std::to_string(key);
    lives->maybe[k].insert(v);
    if (!co_await store.put(k, v)) co_return;  // broken until reopened
    lives->acknowledged[k] = v;
    lives->maybe[k].clear();
    if (i % 3 == 2 && !co_await store.compact()) co_return;
  }
}

WEFT_SIM_TEST(KvStore, SurvivesACrashAtAnyStorageOperation) {
  weft::sim::SimNet net;
  weft::sim::SimHost& host = net.add_host("10.0.0.1");
  auto lives = std::make_shared<Lives>();
  host.on_restart([lives](weft::sim::SimHost& h) { h.spawn(life(h, lives)); });
  host.spawn(life(host, lives));
  // Long enough for a few crashes and restarts (each down at most 0.5 s).
  co_await weft::sleep_for(std::chrono::seconds(5));
  host.crash();
  host.restart();
  co_await weft::sleep_for(std::chrono::seconds(1));
}

TEST(KvStore, RunsOnRealFiles) {
  const char* base = std::getenv("TEST_TMPDIR");
  std::string dir = std::string(base != nullptr ? base : "/tmp") + "/kv-XXXXXX";
  ASSERT_NE(::mkdtemp(dir.data()), nullptr);
  dir += "/store";
  weft::fs::RealFileSystem fs;
  weft::LocalExecutor executor;
  executor.set_stall_timeout(std::chrono::seconds(60));
  auto first = executor.block_on(kv::KvStore::open(fs, dir));
  ASSERT_TRUE(first) << first.error().message();
  ASSERT_TRUE(executor.block_on(first.value().put("a", "1")));
  ASSERT_TRUE(executor.block_on(first.value().put("b", "2")));
  ASSERT_TRUE(executor.block_on(first.value().compact()));
  ASSERT_TRUE(executor.block_on(first.value().put("a", "3")));
  auto second = executor.block_on(kv::KvStore::open(fs, dir));
  ASSERT_TRUE(second) << second.error().message();
  EXPECT_EQ(second.value().get("a"), "3");
  EXPECT_EQ(second.value().get("b"), "2");
  EXPECT_EQ(second.value().size(), 2u);
}

// A torn tail (a record cut short) is dropped on reopening, and the next
// record follows the good ones.
TEST(KvStore, RecordsDecodeUpToTheFirstBadOne) {
  const std::string good = kv::encode_record("k", "v");
  const std::string torn = kv::encode_record("x", "yyyy").substr(0, 10);
  kv::Decoded decoded = kv::decode_records(good + torn);
  EXPECT_EQ(decoded.entries, (std::map<std::string, std::string>{{"k", "v"}}));
  EXPECT_EQ(decoded.good_bytes, good.size());
  std::string flipped = good + good;
  flipped[good.size() + 9] ^= 1;
  EXPECT_EQ(kv::decode_records(flipped).good_bytes, good.size());
}

}  // namespace
