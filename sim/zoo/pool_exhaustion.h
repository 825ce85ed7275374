// A connection pool: a request checks a connection out, sends, waits for
// the reply, and checks the connection back in. The bug: a request
// cancelled while it holds a connection (its caller timed out) never
// checks it back in. One lost connection goes unnoticed, since the pool
// has spares; only after kConnections cancellations, in separate
// requests, is the pool empty and the next request waits forever. Leaks
// like this pass every test until production load cancels enough
// requests. The fixed twin checks out a guard that returns the connection
// however the request ends.
#pragma once

#include <chrono>
#include <utility>

#include "runtime/future/async.h"
#include "runtime/primitives/notify.h"
#include "runtime/seam/mark.h"
#include "runtime/task/executor.h"
#include "runtime/task/join_outcome.h"
#include "runtime/time/sleep.h"

namespace weft::zoo {

template <bool kFixed>
class ConnectionPool {
 public:
  explicit ConnectionPool(int connections) : free_(connections) {}

  // A checked-out connection; the fixed twin returns it when dropped.
  class Connection {
   public:
    explicit Connection(ConnectionPool* pool) : pool_(pool) {}
    Connection(Connection&& other) noexcept
        : pool_(std::exchange(other.pool_, nullptr)) {}
    ~Connection() {
      if (pool_ == nullptr) return;
      if (kFixed) {
        pool_->check_in();
      } else {
        mark("a connection was dropped without being checked in");
      }
    }
    void check_in() { std::exchange(pool_, nullptr)->check_in(); }

   private:
    ConnectionPool* pool_;
  };

  Async<Connection> check_out() {
    while (free_ == 0) co_await returned_.notified();
    --free_;
    co_return Connection(this);
  }

 private:
  void check_in() {
    ++free_;
    returned_.notify_one();
  }

  int free_;
  Notify returned_;
};

template <bool kFixed>
Async<void> send_request(ConnectionPool<kFixed>* pool) {
  auto connection = co_await pool->check_out();
  co_await sleep_for(std::chrono::milliseconds(1));  // the reply
  connection.check_in();
}

// kConnections connections, and enough requests that a few cancellations
// among them can happen; then one request that must get through.
template <bool kFixed, int kConnections>
Async<void> pool_exhaustion_scenario() {
  ConnectionPool<kFixed> pool(kConnections);
  for (int i = 0; i < 4 * kConnections; ++i) {
    auto request = spawn_cancellable(send_request(&pool));
    auto outcome = co_await std::move(request).outcome();
    if (outcome.cancelled()) mark("a request was cancelled");
  }
  co_await send_request(&pool);
}

}  // namespace weft::zoo
