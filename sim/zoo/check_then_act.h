// A bank account whose withdraw checks the balance, then awaits the audit
// log (a Mutex another task may hold), then subtracts. The bug: the check
// is stale after the await, so two withdrawals that both passed it can
// overdraw the account. The fixed twin checks again after the await.
#pragma once

#include "runtime/future/async.h"
#include "runtime/future/yield_now.h"
#include "runtime/primitives/mutex.h"
#include "runtime/seam/assert.h"
#include "runtime/task/executor.h"

namespace weft::zoo {

template <bool kFixed>
class Account {
 public:
  explicit Account(int balance) : balance_(balance) {}

  Async<bool> withdraw(int amount) {
    if (balance_ < amount) co_return false;
    {
      auto log = co_await audit_log_.lock();  // may suspend
      ++*log;
    }
    if (kFixed && balance_ < amount) co_return false;
    balance_ -= amount;
    WEFT_ASSERT(balance_ >= 0, "the account was overdrawn");
    co_return true;
  }

  // An auditor that holds the log across a suspension.
  Async<void> audit() {
    auto log = co_await audit_log_.lock();
    co_await yield_now();
    ++*log;
  }

  int balance() const { return balance_; }

 private:
  int balance_;
  Mutex<int> audit_log_{0};
};

template <bool kFixed>
Async<void> check_then_act_scenario() {
  Account<kFixed> account(100);
  auto first = spawn(account.withdraw(80));
  auto second = spawn(account.withdraw(80));
  auto auditor = spawn(account.audit());
  co_await std::move(first);
  co_await std::move(second);
  co_await std::move(auditor);
}

}  // namespace weft::zoo
