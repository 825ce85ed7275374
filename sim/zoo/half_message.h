// A framed reader that reads a message as a header, then a body, with a
// suspension in between. The bug: the header it has taken lives in the
// read future, so when a select drops that future (a timeout won between
// header and body) the header is gone and the next read takes a body for a
// header. The fixed twin keeps a half-read message in the reader, which
// outlives any one read.
#pragma once

#include <chrono>
#include <deque>
#include <optional>

#include "runtime/future/async.h"
#include "runtime/future/future.h"
#include "runtime/future/select.h"
#include "runtime/future/yield_now.h"
#include "runtime/seam/assert.h"
#include "runtime/task/executor.h"
#include "runtime/time/sleep.h"

namespace weft::zoo {

// A byte-ish stream of ints: headers are negative (-length), bodies >= 0.
class Wire {
 public:
  void push(int word) {
    words_.push_back(word);
    std::move(reader_).wake();
  }
  struct Next {
    using Output = int;
    Wire* wire;
    Poll<int> poll(Context& cx) {
      if (wire->words_.empty()) {
        store_waker(wire->reader_, cx.waker());
        return kPending;
      }
      int word = wire->words_.front();
      wire->words_.pop_front();
      return word;
    }
  };
  Next next() { return Next{this}; }

 private:
  std::deque<int> words_;
  Waker reader_;
};

template <bool kFixed>
class FramedReader {
 public:
  explicit FramedReader(Wire* wire) : wire_(wire) {}

  // One message: a header (-1) then one body word.
  Async<int> read() {
    std::optional<int> header = std::exchange(pending_header_, std::nullopt);
    if (!header) header = co_await wire_->next();
    WEFT_ASSERT(*header < 0,
                "a body was read as a header (a message was split)");
    if (kFixed) pending_header_ = header;  // survives a dropped read
    const int body = co_await wire_->next();
    pending_header_.reset();
    co_return body;
  }

 private:
  Wire* wire_;
  std::optional<int> pending_header_;
};

template <bool kFixed>
Async<void> half_message_scenario() {
  using namespace std::chrono_literals;
  Wire wire;
  auto writer = spawn([](Wire* wire) -> Async<void> {
    // Each body comes 1 ms after its header, at the very instant the
    // reader's 1 ms wait runs out; the next header follows at once.
    for (int body = 0; body < 3; ++body) {
      wire->push(-1);
      co_await sleep_for(1ms);
      wire->push(body);
    }
  }(&wire));
  co_await yield_now();  // the writer's timers are armed first
  FramedReader<kFixed> reader(&wire);
  int received = 0;
  while (received < 3) {
    // Polls for messages with a 1 ms timeout, like a loop with heartbeats.
    auto next = co_await select(reader.read(), sleep_for(1ms));
    if (next.index() == 0) ++received;
  }
  co_await std::move(writer);
}

}  // namespace weft::zoo
