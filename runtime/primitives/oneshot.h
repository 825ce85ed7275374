// weft::oneshot: a channel for exactly one value, from one Sender to one
// Receiver.
//
//   auto [tx, rx] = weft::oneshot::channel<int>();
//   tx.send(5);                        // SendResult: the value comes back
//                                      // if the receiver is gone
//   std::optional<int> v = co_await rx;  // nullopt: sender dropped unsent
//
// The Receiver is itself the future. Dropping it makes later sends fail;
// dropping the Sender unsent wakes the Receiver with nullopt. Thread safe.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <utility>

#include "runtime/future/context.h"
#include "runtime/future/poll.h"
#include "runtime/seam/source_location.h"
#include "runtime/future/waker.h"
#include "runtime/primitives/send_result.h"
#include "runtime/seam/misuse.h"
#include "runtime/sync/mutex.h"

namespace weft::oneshot {

namespace detail {
template <typename T>
struct Shared {
  sync::mutex mutex;
  std::optional<T> value;
  bool sender_done = false;  // sent, or dropped without sending
  bool receiver_alive = true;
  Waker receiver_waker;
};
}  // namespace detail

template <typename T>
class Sender {
 public:
  explicit Sender(std::shared_ptr<detail::Shared<T>> shared)
      : shared_(std::move(shared)) {}
  Sender(Sender&&) noexcept = default;
  Sender& operator=(Sender&&) noexcept = default;
  ~Sender() { finish(); }

  // Delivers `value`, or returns it if the receiver is gone. One send only.
  SendResult<T> send(T value, SourceLocation at = SourceLocation::current()) {
    if (shared_ == nullptr) {
      report_misuse("oneshot::Sender::send on a used or moved-from sender");
    }
    Waker waker;
    bool delivered = false;
    {
      sync::lock_guard lock(shared_->mutex);
      shared_->sender_done = true;
      if (shared_->receiver_alive) {
        shared_->value.emplace(std::move(value));
        waker = std::move(shared_->receiver_waker);
        delivered = true;
      }
    }
    // Let go of the shared state only once its lock is released.
    shared_.reset();
    if (!delivered) return SendResult<T>::closed(std::move(value));
    std::move(waker).wake_if_set(at);
    return SendResult<T>::delivered();
  }

  bool is_closed() const {
    sync::lock_guard lock(shared_->mutex);
    return !shared_->receiver_alive;
  }

 private:
  void finish() {
    if (shared_ == nullptr) return;
    Waker waker;
    {
      sync::lock_guard lock(shared_->mutex);
      shared_->sender_done = true;
      waker = std::move(shared_->receiver_waker);
    }
    shared_.reset();
    std::move(waker).wake_if_set();
  }

  std::shared_ptr<detail::Shared<T>> shared_;
};

template <typename T>
class Receiver {
 public:
  using Output = std::optional<T>;

  explicit Receiver(std::shared_ptr<detail::Shared<T>> shared)
      : shared_(std::move(shared)) {}
  Receiver(Receiver&&) noexcept = default;
  Receiver& operator=(Receiver&&) noexcept = default;
  ~Receiver() { close(); }

  Poll<Output> poll(Context& cx) {
    if (shared_ == nullptr) {
      report_misuse(done_ ? "poll of a oneshot::Receiver after it returned "
                            "Ready"
                          : "poll of a moved-from oneshot::Receiver");
    }
    sync::unique_lock lock(shared_->mutex);
    if (!shared_->sender_done) {
      store_waker(shared_->receiver_waker, cx.waker());
      return kPending;
    }
    Output value = std::move(shared_->value);
    lock.unlock();
    shared_.reset();
    done_ = true;
    return value;
  }

  // The value if it was sent, without waiting.
  std::optional<T> try_recv() {
    if (shared_ == nullptr) return std::nullopt;
    sync::lock_guard lock(shared_->mutex);
    return std::exchange(shared_->value, std::nullopt);
  }

  // Refuses any further send; a value already sent stays receivable.
  void close() {
    if (shared_ == nullptr) return;
    sync::lock_guard lock(shared_->mutex);
    shared_->receiver_alive = false;
  }

 private:
  std::shared_ptr<detail::Shared<T>> shared_;
  bool done_ = false;
};

template <typename T>
std::pair<Sender<T>, Receiver<T>> channel() {
  auto shared = std::make_shared<detail::Shared<T>>();
  return {Sender<T>(shared), Receiver<T>(shared)};
}

}  // namespace weft::oneshot
