// The linearizability checker on histories whose answer is known: the
// classic register examples, operations that never returned, the limit
// that makes a search inconclusive, key-by-key checking of a map, and each
// model's own rules. A failing history is shrunk to its smallest failing
// part and shown per client.
#include "check/linearizability.h"

#include <gtest/gtest.h>

#include <chrono>
#include <string>

#include "check/models.h"

namespace weft::check {
namespace {

using R = RegisterModel;

Instant at_ms(int ms) { return Instant{} + std::chrono::milliseconds(ms); }

TEST(Linearizability, SequentialRegisterHistoryIsLinearizable) {
  History<R> h;
  auto w = h.invoke(1, R::write(1), at_ms(0));
  h.complete(w, R::ok(), at_ms(1));
  auto r = h.invoke(2, R::read(), at_ms(2));
  h.complete(r, R::read_returned(1), at_ms(3));
  CheckResult result = check_linearizable(h);
  EXPECT_TRUE(result) << result.explanation;
}

TEST(Linearizability, ConcurrentReadMayReturnEitherValue) {
  for (int seen : {0, 1}) {
    History<R> h;
    auto w = h.invoke(1, R::write(1), at_ms(0));
    auto r = h.invoke(2, R::read(), at_ms(1));
    h.complete(r, R::read_returned(seen), at_ms(2));
    h.complete(w, R::ok(), at_ms(3));
    EXPECT_TRUE(check_linearizable(h)) << "read " << seen;
  }
}

TEST(Linearizability, AStaleReadAfterAWriteReturnedIsNot) {
  History<R> h;
  auto w1 = h.invoke(1, R::write(1), at_ms(0));
  h.complete(w1, R::ok(), at_ms(1));
  auto w2 = h.invoke(2, R::write(2), at_ms(2));
  h.complete(w2, R::ok(), at_ms(3));
  auto r = h.invoke(3, R::read(), at_ms(4));
  h.complete(r, R::read_returned(1), at_ms(5));
  CheckResult result = check_linearizable(h);
  EXPECT_EQ(result.verdict, Verdict::kNotLinearizable);
  // The smallest failing part: all three (without the first write, a read
  // of 1 would fail for another reason: nobody wrote 1).
  EXPECT_NE(result.explanation.find("these 3 operations"), std::string::npos)
      << result.explanation;
  EXPECT_NE(result.explanation.find("what fails is real-time order"),
            std::string::npos)
      << result.explanation;
  EXPECT_NE(result.explanation.find("client 2   write 2"), std::string::npos)
      << result.explanation;
  EXPECT_NE(result.explanation.find("client 3   read -> 1"), std::string::npos)
      << result.explanation;
  EXPECT_NE(result.explanation.find("called 4.000 ms, returned 5.000 ms"),
            std::string::npos)
      << result.explanation;
}

TEST(Linearizability, ReadsThatSeeValuesGoBackInTimeAreNot) {
  // Two reads, one after the other, see 2 then 1, while the writes of 1
  // then 2 run concurrently with both: no order allows it.
  History<R> h;
  auto w1 = h.invoke(1, R::write(1), at_ms(0));
  auto w2 = h.invoke(2, R::write(2), at_ms(0));
  auto r1 = h.invoke(3, R::read(), at_ms(1));
  h.complete(r1, R::read_returned(2), at_ms(2));
  auto r2 = h.invoke(3, R::read(), at_ms(3));
  h.complete(r2, R::read_returned(1), at_ms(4));
  h.complete(w1, R::ok(), at_ms(5));
  h.complete(w2, R::ok(), at_ms(5));
  // 1 then 2 then read 2 then ... read 1 needs a write of 1 after 2:
  // write(1) may take effect after write(2) and between the reads.
  EXPECT_TRUE(check_linearizable(h));
  // Now write 1 returned before write 2 was called: 1 cannot come back.
  History<R> strict;
  auto a = strict.invoke(1, R::write(1), at_ms(0));
  strict.complete(a, R::ok(), at_ms(1));
  auto b = strict.invoke(2, R::write(2), at_ms(2));
  auto c = strict.invoke(3, R::read(), at_ms(3));
  strict.complete(c, R::read_returned(2), at_ms(4));
  auto d = strict.invoke(3, R::read(), at_ms(5));
  strict.complete(d, R::read_returned(1), at_ms(6));
  strict.complete(b, R::ok(), at_ms(7));
  EXPECT_EQ(check_linearizable(strict).verdict, Verdict::kNotLinearizable);
}

TEST(Linearizability, AnOperationThatNeverReturnedMayHaveTakenEffectOrNot) {
  // A crashed client's write of 5: a later read of 5 is explained by it,
  // and so is a read of 0 (it never took effect).
  for (int seen : {0, 5}) {
    History<R> h;
    (void)h.invoke(1, R::write(5), at_ms(0));  // never completes
    auto r = h.invoke(2, R::read(), at_ms(10));
    h.complete(r, R::read_returned(seen), at_ms(11));
    EXPECT_TRUE(check_linearizable(h)) << "read " << seen;
  }
  // But not a read of 7, which nothing wrote.
  History<R> h;
  (void)h.invoke(1, R::write(5), at_ms(0));
  auto r = h.invoke(2, R::read(), at_ms(10));
  h.complete(r, R::read_returned(7), at_ms(11));
  CheckResult result = check_linearizable(h);
  EXPECT_EQ(result.verdict, Verdict::kNotLinearizable);
  EXPECT_NE(result.explanation.find("an output no operation could produce"),
            std::string::npos)
      << result.explanation;
  EXPECT_NE(result.explanation.find("read -> 7"), std::string::npos)
      << result.explanation;
}

TEST(Linearizability, AnUnfinishedWriteSeenOnceCannotBeUnseen) {
  // The crashed client's write of 5 was seen, so it took effect: a later
  // read of 0 cannot be explained, and the shrunk part keeps the write.
  History<R> h;
  (void)h.invoke(1, R::write(5), at_ms(0));
  auto r1 = h.invoke(2, R::read(), at_ms(10));
  h.complete(r1, R::read_returned(5), at_ms(11));
  auto r2 = h.invoke(2, R::read(), at_ms(20));
  h.complete(r2, R::read_returned(0), at_ms(21));
  CheckResult result = check_linearizable(h);
  EXPECT_EQ(result.verdict, Verdict::kNotLinearizable);
  EXPECT_NE(result.explanation.find("write 5"), std::string::npos)
      << result.explanation;
  EXPECT_NE(result.explanation.find("never returned"), std::string::npos)
      << result.explanation;
}

TEST(Linearizability, ASearchPastItsLimitIsInconclusiveNeverAPass) {
  History<R> h;
  // Many concurrent writes and reads: a big space to search.
  std::vector<OperationId> open;
  for (int i = 0; i < 12; ++i) open.push_back(h.invoke(i, R::write(i)));
  for (int i = 0; i < 12; ++i) {
    auto r = h.invoke(100 + i, R::read());
    h.complete(r, R::read_returned(-1));  // impossible: fails late
  }
  for (OperationId id : open) h.complete(id, R::ok());
  CheckLimits limits;
  limits.steps_max = 50;
  CheckResult result = check_linearizable(h, R{}, limits);
  EXPECT_EQ(result.verdict, Verdict::kInconclusive);
  EXPECT_FALSE(result);
  EXPECT_NE(result.explanation.find("gave up after 50 steps"),
            std::string::npos)
      << result.explanation;
}

TEST(Linearizability, AMapIsCheckedKeyByKey) {
  using KV = KeyValueModel;
  History<KV> h;
  // Many keys, all fine, and one key with a stale read.
  for (int k = 0; k < 50; ++k) {
    const std::string key = "k" + std::to_string(k);
    auto p = h.invoke(k % 5, KV::put(key, "a"));
    h.complete(p, KV::ok());
    auto g = h.invoke((k + 1) % 5, KV::get(key));
    h.complete(g, KV::found("a"));
  }
  auto p1 = h.invoke(1, KV::put("x", "new"));
  h.complete(p1, KV::ok());
  auto g1 = h.invoke(2, KV::get("x"));
  h.complete(g1, KV::found(std::nullopt));  // lost the put
  CheckResult result = check_linearizable(h);
  EXPECT_EQ(result.verdict, Verdict::kNotLinearizable);
  EXPECT_EQ(result.partitions, 51u);
  EXPECT_NE(result.explanation.find("(key \"x\")"), std::string::npos)
      << result.explanation;
  EXPECT_NE(result.explanation.find("get x -> (none)"), std::string::npos)
      << result.explanation;
}

TEST(Linearizability, EachModelFollowsItsOwnRules) {
  CounterModel counter;
  EXPECT_EQ(counter.step(3, CounterModel::add(2), nullptr), 5);
  const auto read4 = CounterModel::read_returned(4);
  EXPECT_FALSE(counter.step(5, CounterModel::read(), &read4));

  QueueModel queue;
  auto q = queue.step({}, QueueModel::enqueue(1), nullptr);
  q = queue.step(*q, QueueModel::enqueue(2), nullptr);
  const auto got1 = QueueModel::got(1);
  const auto got2 = QueueModel::got(2);
  EXPECT_FALSE(queue.step(*q, QueueModel::dequeue(), &got2));
  EXPECT_TRUE(queue.step(*q, QueueModel::dequeue(), &got1));

  SetModel set;
  auto s = set.step({}, SetModel::add(7), nullptr);
  const auto yes = SetModel::result(true);
  const auto no = SetModel::result(false);
  EXPECT_TRUE(set.step(*s, SetModel::contains(7), &yes));
  EXPECT_FALSE(set.step(*s, SetModel::contains(7), &no));
  EXPECT_FALSE(set.step(*s, SetModel::add(7), &yes));  // already there

  LockModel lock;
  const auto ok = LockModel::ok();
  const auto refused = LockModel::refused();
  auto held = lock.step({}, LockModel::acquire(1), &ok);
  ASSERT_TRUE(held);
  EXPECT_FALSE(lock.step(*held, LockModel::acquire(2), &ok));
  EXPECT_TRUE(lock.step(*held, LockModel::acquire(2), &refused));
  EXPECT_FALSE(lock.step(*held, LockModel::release(2), &ok));
  EXPECT_TRUE(lock.step(*held, LockModel::release(1), &ok));
}

TEST(Linearizability, TwoClientsHoldingOneLockIsNot) {
  History<LockModel> h;
  auto a = h.invoke(1, LockModel::acquire(1), at_ms(0));
  h.complete(a, LockModel::ok(), at_ms(1));
  auto b = h.invoke(2, LockModel::acquire(2), at_ms(2));
  h.complete(b, LockModel::ok(), at_ms(3));  // granted while 1 holds it
  EXPECT_EQ(check_linearizable(h).verdict, Verdict::kNotLinearizable);
}

}  // namespace
}  // namespace weft::check
