// weft::mpsc: a multi-producer, single-consumer channel, bounded or not.
//
//   auto [tx, rx] = weft::mpsc::bounded<int>(16);   // or unbounded<int>()
//   SendResult<int> sent = co_await tx.send(1);     // waits while full
//   std::optional<int> v = co_await rx.recv();      // nullopt: closed+empty
//
// Senders are copyable; the channel closes when the last Sender is dropped
// (the receiver drains what is buffered, then gets nullopt) or when the
// Receiver calls close() or is dropped (every pending and later send fails
// and hands its value back). Messages from one sender arrive in the order
// sent; waiting senders of a bounded channel get capacity in FIFO order.
//
// Cancellation safety: a send() dropped while waiting for capacity leaves
// the queue without sending, and if capacity had already been granted to
// it, the capacity passes to the next sender; a recv() dropped while
// waiting loses no message (messages stay in the buffer until a recv()
// returns them) and takes its waker back out of the channel. Thread safe.
#pragma once

#include <cstddef>
#include <deque>
#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "runtime/future/context.h"
#include "runtime/future/poll.h"
#include "runtime/future/waker.h"
#include "runtime/primitives/semaphore.h"
#include "runtime/primitives/send_result.h"
#include "runtime/seam/misuse.h"
#include "runtime/sync/mutex.h"

namespace weft::mpsc {

namespace detail {

template <typename T>
struct Channel {
  explicit Channel(std::optional<std::size_t> capacity) {
    if (capacity) {
      if (*capacity == 0) {
        report_misuse("mpsc::bounded needs a capacity of at least 1");
      }
      slots.emplace(*capacity);
    }
  }

  sync::mutex mutex;
  std::deque<T> buffer;
  std::size_t senders = 1;
  bool closed = false;
  Waker receiver_waker;
  // Free buffer slots of a bounded channel; empty for an unbounded one.
  std::optional<Semaphore> slots;

  // Returns the receiver's waker to wake after unlocking.
  Waker push_locked(T value) {
    buffer.push_back(std::move(value));
    return std::move(receiver_waker);
  }
  void close() {
    Waker waker;
    {
      sync::lock_guard lock(mutex);
      closed = true;
      waker = std::move(receiver_waker);
    }
    if (slots) slots->close();
    std::move(waker).wake_if_set();
  }
};

}  // namespace detail

template <typename T>
class Sender {
 public:
  explicit Sender(std::shared_ptr<detail::Channel<T>> channel)
      : channel_(std::move(channel)) {}
  Sender(const Sender& other) : channel_(other.channel_) {
    sync::lock_guard lock(channel_->mutex);
    ++channel_->senders;
  }
  Sender(Sender&&) noexcept = default;
  Sender& operator=(const Sender&) = delete;
  Sender& operator=(Sender&&) = delete;
  ~Sender() {
    if (channel_ == nullptr) return;
    Waker waker;
    {
      sync::lock_guard lock(channel_->mutex);
      if (--channel_->senders == 0) {
        waker = std::move(channel_->receiver_waker);
      }
    }
    std::move(waker).wake_if_set();
  }

  class Send {
   public:
    using Output = SendResult<T>;

    Poll<Output> poll(Context& cx) {
      if (!value_) {
        report_misuse("poll of an mpsc send after it returned Ready", at_);
      }
      if (channel_->slots) {
        auto granted = slot_->poll(cx);
        if (granted.is_pending()) return kPending;
        std::optional<SemaphorePermit> permit = std::move(granted).take();
        if (!permit) return closed();
        // The slot now belongs to the message; recv() gives it back.
        permit->forget();
      }
      Waker waker;
      {
        sync::lock_guard lock(channel_->mutex);
        if (channel_->closed) {
          if (channel_->slots) channel_->slots->add_permits(1);
          return closed_locked();
        }
        waker = channel_->push_locked(std::move(*value_));
        value_.reset();
      }
      std::move(waker).wake_if_set(at_);
      return Output::delivered();
    }

   private:
    friend class Sender;
    Send(std::shared_ptr<detail::Channel<T>> channel, T value,
         SourceLocation at)
        : channel_(std::move(channel)), value_(std::move(value)), at_(at) {
      if (channel_->slots) slot_.emplace(channel_->slots->acquire(1, at));
    }
    Output closed() {
      sync::lock_guard lock(channel_->mutex);
      return closed_locked();
    }
    Output closed_locked() {
      T value = std::move(*value_);
      value_.reset();
      return Output::closed(std::move(value));
    }

    std::shared_ptr<detail::Channel<T>> channel_;
    std::optional<T> value_;
    SourceLocation at_;
    std::optional<Semaphore::Acquire> slot_;
  };

  // A future that delivers `value`, waiting for capacity if bounded.
  Send send(T value, SourceLocation at = SourceLocation::current()) {
    return Send(channel_, std::move(value), at);
  }

  TrySendResult<T> try_send(T value,
                            SourceLocation at = SourceLocation::current()) {
    std::optional<SemaphorePermit> permit;
    if (channel_->slots) {
      if (channel_->slots->is_closed()) {
        return TrySendResult<T>::rejected(TrySendStatus::kClosed,
                                          std::move(value));
      }
      permit = channel_->slots->try_acquire(1);
      if (!permit) {
        return TrySendResult<T>::rejected(TrySendStatus::kFull,
                                          std::move(value));
      }
    }
    Waker waker;
    {
      sync::lock_guard lock(channel_->mutex);
      if (channel_->closed) {
        return TrySendResult<T>::rejected(TrySendStatus::kClosed,
                                          std::move(value));
      }
      if (permit) permit->forget();
      waker = channel_->push_locked(std::move(value));
    }
    std::move(waker).wake_if_set(at);
    return TrySendResult<T>::delivered();
  }

  bool is_closed() const {
    sync::lock_guard lock(channel_->mutex);
    return channel_->closed;
  }
  std::size_t sender_count() const {
    sync::lock_guard lock(channel_->mutex);
    return channel_->senders;
  }

 private:
  std::shared_ptr<detail::Channel<T>> channel_;
};

template <typename T>
class Receiver {
 public:
  explicit Receiver(std::shared_ptr<detail::Channel<T>> channel)
      : channel_(std::move(channel)) {}
  Receiver(Receiver&&) noexcept = default;
  Receiver& operator=(Receiver&&) = delete;
  ~Receiver() {
    if (channel_ != nullptr) channel_->close();
  }

  class Recv {
   public:
    using Output = std::optional<T>;
    Recv(Recv&& other) noexcept
        : receiver_(other.receiver_),
          at_(other.at_),
          done_(std::exchange(other.done_, true)),
          parked_(std::exchange(other.parked_, false)) {}
    Recv& operator=(Recv&&) = delete;
    // A recv dropped while it waits takes its waker back out of the
    // channel, so the channel does not keep the dropped task alive.
    ~Recv() {
      if (!parked_) return;
      Waker stored;
      {
        sync::lock_guard lock(receiver_.channel_->mutex);
        stored = std::move(receiver_.channel_->receiver_waker);
      }
    }

    Poll<Output> poll(Context& cx) {
      if (done_) {
        report_misuse("poll of an mpsc recv after it returned Ready", at_);
      }
      auto& channel = *receiver_.channel_;
      sync::unique_lock lock(channel.mutex);
      if (!channel.buffer.empty()) {
        T value = std::move(channel.buffer.front());
        channel.buffer.pop_front();
        lock.unlock();
        if (channel.slots) channel.slots->add_permits(1);
        done_ = true;
        parked_ = false;
        return Output(std::move(value));
      }
      if (channel.closed || channel.senders == 0) {
        done_ = true;
        parked_ = false;
        return Output(std::nullopt);
      }
      store_waker(channel.receiver_waker, cx.waker());
      parked_ = true;
      return kPending;
    }

   private:
    friend class Receiver;
    Recv(Receiver& receiver, SourceLocation at)
        : receiver_(receiver), at_(at) {}
    Receiver& receiver_;
    SourceLocation at_;
    bool done_ = false;
    bool parked_ = false;  // its waker is in the channel
  };

  // The next message, or nullopt once the channel is closed and drained.
  Recv recv(SourceLocation at = SourceLocation::current()) {
    return Recv(*this, at);
  }

  std::optional<T> try_recv() {
    sync::unique_lock lock(channel_->mutex);
    if (channel_->buffer.empty()) return std::nullopt;
    T value = std::move(channel_->buffer.front());
    channel_->buffer.pop_front();
    lock.unlock();
    if (channel_->slots) channel_->slots->add_permits(1);
    return value;
  }

  // Refuses further sends (pending and later ones get their value back);
  // messages already buffered can still be received.
  void close() { channel_->close(); }

  std::size_t buffered() const {
    sync::lock_guard lock(channel_->mutex);
    return channel_->buffer.size();
  }

 private:
  std::shared_ptr<detail::Channel<T>> channel_;
};

template <typename T>
std::pair<Sender<T>, Receiver<T>> bounded(std::size_t capacity) {
  auto channel = std::make_shared<detail::Channel<T>>(capacity);
  return {Sender<T>(channel), Receiver<T>(channel)};
}

template <typename T>
std::pair<Sender<T>, Receiver<T>> unbounded() {
  auto channel = std::make_shared<detail::Channel<T>>(std::nullopt);
  return {Sender<T>(channel), Receiver<T>(channel)};
}

}  // namespace weft::mpsc
