// A framed reader over a byte stream: a frame is a length byte and then
// that many body bytes, which may arrive later. The bug: read_frame()
// takes the length byte off the stream, then waits for the body; a read
// cancelled in that wait (a request timeout, the losing branch of a
// select) takes the length byte with it, and the next read takes the
// first body byte for a length: every frame after it is garbage. Reading
// a message in parts is the classic way a read stops being cancellation
// safe. The fixed twin only peeks at the length, waits until the whole
// frame is there, and then consumes it with no await in between.
#pragma once

#include <chrono>
#include <cstdint>
#include <deque>
#include <vector>

#include "runtime/future/async.h"
#include "runtime/primitives/notify.h"
#include "runtime/seam/assert.h"
#include "runtime/task/executor.h"
#include "runtime/task/join_outcome.h"
#include "runtime/time/sleep.h"

namespace weft::zoo {

class ByteStream {
 public:
  void write(std::initializer_list<std::uint8_t> bytes) {
    bytes_.insert(bytes_.end(), bytes);
    arrived_.notify_waiters();
  }
  Async<void> wait_for(std::size_t count) {
    while (bytes_.size() < count) co_await arrived_.notified();
  }
  std::uint8_t peek() const { return bytes_.front(); }
  std::uint8_t take() {
    const std::uint8_t byte = bytes_.front();
    bytes_.pop_front();
    return byte;
  }

 private:
  std::deque<std::uint8_t> bytes_;
  Notify arrived_;
};

inline constexpr std::uint8_t kFrameLengthMax = 8;

template <bool kFixed>
Async<std::vector<std::uint8_t>> read_frame(ByteStream* stream) {
  co_await stream->wait_for(1);
  const std::uint8_t length = kFixed ? stream->peek() : stream->take();
  WEFT_ASSERT(length <= kFrameLengthMax,
              "a frame length out of range: the reader is out of step with "
              "the stream");
  if constexpr (kFixed) {
    co_await stream->wait_for(1 + std::size_t{length});
    stream->take();
  } else {
    co_await stream->wait_for(length);  // a cancellation here loses `length`
  }
  std::vector<std::uint8_t> body;
  for (std::uint8_t i = 0; i < length; ++i) body.push_back(stream->take());
  co_return body;
}

// Frame n's body is n+1 bytes of value 100+n, so a frame read out of step
// shows at once.
inline Async<void> write_frames(ByteStream* stream) {
  stream->write({1, 100});
  co_await sleep_for(std::chrono::milliseconds(1));
  stream->write({2, 101});  // the second frame arrives in two parts
  co_await sleep_for(std::chrono::milliseconds(1));
  stream->write({101});
  stream->write({3, 102, 102, 102});
}

template <bool kFixed>
Async<void> partial_read_scenario() {
  ByteStream stream;
  auto writer = spawn(write_frames(&stream));
  auto first = co_await read_frame<kFixed>(&stream);
  WEFT_ASSERT_EQ(first.size(), 1u);
  // A read that may be given up while it waits (its caller timed out).
  auto given_up = spawn_cancellable(read_frame<kFixed>(&stream));
  auto outcome = co_await std::move(given_up).outcome();
  std::uint8_t next = 101;
  if (outcome.ok()) next = 102;  // it did read the second frame
  while (next <= 102) {
    auto frame = co_await read_frame<kFixed>(&stream);
    WEFT_ASSERT(!frame.empty() && frame[0] == next,
                "a frame read out of order or torn");
    ++next;
  }
  co_await std::move(writer);
}

}  // namespace weft::zoo
