// Use-after-drop of an ordinary heap object, without ASan: with
// //sim:heap_quarantine linked, every block freed during a run waits in
// the quarantine, poisoned, and a later write into it is a use-after-drop
// report naming the block's size, the step it was freed at and the
// decision before it. The fixed twin (which keeps the object alive) is
// clean. Under ASan or TSan, the sanitizer finds the write itself, and
// weft adds the replay line to its report.
#include <gtest/gtest.h>

#include <memory>

#include "runtime/weft.h"
#include "sim/memory/quarantine.h"
#include "sim/report/sanitizers.h"
#include "sim/testing/sweeps.h"

namespace weft::sim {
namespace {

struct Account {
  long balance = 100;
  long pad[7] = {};
};

// The owner drops the account when it is done; the auditor keeps a raw
// pointer and writes through it after a yield. On FIFO the auditor runs
// first; a reordering lets the owner free the account before the write.
template <bool kFixed>
Async<void> auditor(Account* account, std::shared_ptr<Account> keep) {
  co_await yield_now();
  account->balance += 1;  // buggy twin: may write into freed memory
  (void)keep;
}

template <bool kFixed>
Async<void> owner(std::unique_ptr<Account>* slot) {
  co_await yield_now();
  slot->reset();
}

template <bool kFixed>
Async<void> audit_race() {
  auto account = std::make_shared<Account>();
  auto slot = std::make_unique<Account>();
  Account* raw = slot.get();
  std::shared_ptr<Account> keep;
  if (kFixed) {
    // The fixed twin gives the auditor its own account to write to.
    keep = account;
    raw = account.get();
  }
  auto first = spawn(auditor<kFixed>(raw, keep));
  auto second = spawn(owner<kFixed>(&slot));
  co_await std::move(first);
  co_await std::move(second);
}

TEST(HeapUseAfterFree, AWriteIntoAFreedHeapBlockIsReportedWithoutAsan) {
  if (kBuiltWithAsan || kBuiltWithTsan) {
    GTEST_SKIP() << "the sanitizer reports this itself (see below)";
  }
  ASSERT_TRUE(Quarantine::heap_routing_linked());
  SweepOutcome outcome = testing::sweep(audit_race<false>, "random");
  testing::expect_found(outcome, Checker::kUseAfterDrop);
  ASSERT_TRUE(outcome.failure);
  const std::string& message = outcome.failure->failure.message;
  EXPECT_NE(message.find("memory of a heap block"), std::string::npos)
      << message;
  EXPECT_NE(message.find("(" + std::to_string(sizeof(Account)) + " bytes)"),
            std::string::npos)
      << message;
  EXPECT_NE(message.find("freed at step"), std::string::npos) << message;
  EXPECT_NE(message.find("just after decision #"), std::string::npos)
      << message;
  EXPECT_NE(message.find("was written after it was freed"), std::string::npos);
}

TEST(HeapUseAfterFree, TheFixedTwinIsClean) {
  testing::expect_clean(testing::sweep(audit_race<true>, "random"));
}

TEST(HeapUseAfterFree, UnderASanitizerTheReportEndsWithAReplayLine) {
  if (!kBuiltWithAsan && !kBuiltWithTsan)
    GTEST_SKIP() << "only under a sanitizer";
  SweepConfig config;
  config.strategy = StrategySpec{StrategySpec::Kind::kRandom, 0};
  config.iterations = testing::kSeedBudget;
  EXPECT_DEATH(find_failure(audit_race<false>, SimOptions{}, config),
               "heap-use-after-free(.|\n)*weft: the process is dying of a "
               "sanitizer report(.|\n)*replay: ");
}

}  // namespace
}  // namespace weft::sim
