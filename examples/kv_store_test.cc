// The key-value store of examples/kv, tested two ways: on a simulated
// host whose disk loses, tears and fails what the host's crashes and the
// disk's faults decide (every acknowledged put must survive every crash),
// and on real files in a temporary folder.
#include "examples/kv/kv_store.h"

#include <gtest/gtest.h>
#include <stdlib.h>

#include <map>
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
