// A hand-written channel. The bug: once closed, recv() reports "closed"
// straight away, even if messages are still buffered, so a close that
// races the last send loses that message. The fixed twin drains the buffer
// before reporting closed.
#pragma once

#include <deque>
#include <optional>

#include "runtime/future/async.h"
#include "runtime/future/future.h"
#include "runtime/future/yield_now.h"
#include "runtime/seam/assert.h"
#include "runtime/task/executor.h"

namespace weft::zoo {

template <bool kFixed>
class HandChannel {
 public:
  void send(int value) {
    buffer_.push_back(value);
    std::move(receiver_).wake();
  }
  void close() {
    closed_ = true;
    std::move(receiver_).wake();
  }
  struct Recv {
    using Output = std::optional<int>;
    HandChannel* channel;
    Poll<std::optional<int>> poll(Context& cx) {
      auto& c = *channel;
      if (c.closed_ && (!kFixed || c.buffer_.empty())) {
        return std::optional<int>();  // Buggy: buffered messages are dropped
      }
      if (!c.buffer_.empty()) {
        const int value = c.buffer_.front();
        c.buffer_.pop_front();
        return std::optional<int>(value);
      }
      store_waker(c.receiver_, cx.waker());
      return kPending;
    }
  };
  Recv recv() { return Recv{this}; }

 private:
  std::deque<int> buffer_;
  bool closed_ = false;
  Waker receiver_;
};

template <bool kFixed>
Async<void> close_race_scenario() {
  HandChannel<kFixed> channel;
  auto producer = spawn([](HandChannel<kFixed>* channel) -> Async<void> {
    for (int i = 0; i < 3; ++i) {
      channel->send(i);
      co_await yield_now();
    }
  }(&channel));
  auto closer = spawn([](HandChannel<kFixed>* channel,
                         JoinHandle<void> producer) -> Async<void> {
    co_await std::move(producer);
    channel->close();  // right after the last send
  }(&channel, std::move(producer)));
  int received = 0;
  while (co_await channel.recv()) ++received;
  WEFT_ASSERT(received == 3, "a message sent before close was lost");
  co_await std::move(closer);
}

}  // namespace weft::zoo
