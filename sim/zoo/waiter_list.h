// An intrusive waiter list: each wait future links a node that lives inside
// the future (so inside the waiting coroutine's frame). The bug: a wait
// future dropped while linked (its task was cancelled, or it lost a select
// to a timeout) does not unlink its node, so the next notify_all writes
// into the dropped frame: a use-after-drop. The fixed twin unlinks in the
// destructor.
#pragma once

#include <chrono>

#include "runtime/future/async.h"
#include "runtime/future/cancelled.h"
#include "runtime/future/future.h"
#include "runtime/future/select.h"
#include "runtime/task/executor.h"
#include "runtime/time/sleep.h"

namespace weft::zoo {

template <bool kFixed>
class WaiterList {
 public:
  struct Node {
    Node* next = nullptr;
    Node* previous = nullptr;
    bool linked = false;
    bool notified = false;
    Waker waker;
  };

  class Wait {
   public:
    using Output = void;
    explicit Wait(WaiterList* list) : list_(list) {}
    Wait(Wait&& other) noexcept : list_(other.list_) {}
    ~Wait() {
      if (kFixed && node_.linked) list_->unlink(node_);
      // Buggy: a linked node is left in the list when the future goes.
    }
    Poll<void> poll(Context& cx) {
      if (node_.notified) return ready();
      store_waker(node_.waker, cx.waker());
      if (!node_.linked) list_->link(node_);
      return kPending;
    }

   private:
    WaiterList* list_;
    Node node_;
  };

  Wait wait() { return Wait(this); }

  void notify_all() {
    for (Node* node = head_; node != nullptr;) {
      Node* next = node->next;
      node->linked = false;
      node->notified = true;  // writes into the node's memory
      node->waker.wake_by_ref();
      node = next;
    }
    head_ = nullptr;
  }

 private:
  void link(Node& node) {
    node.next = head_;
    node.previous = nullptr;
    if (head_ != nullptr) head_->previous = &node;
    head_ = &node;
    node.linked = true;
  }
  void unlink(Node& node) {
    if (node.previous != nullptr) node.previous->next = node.next;
    if (node.next != nullptr) node.next->previous = node.previous;
    if (head_ == &node) head_ = node.next;
    node.linked = false;
  }

  Node* head_ = nullptr;
};

// A waiter gives up after 5 ms (its wait loses a select to a timeout and is
// dropped with its frame); the notifier also acts at 5 ms. When the waiter
// runs first (a timer tie or a reordering), the notifier then writes into
// the dropped wait.
template <bool kFixed>
Async<void> waiter_list_scenario() {
  WaiterList<kFixed> list;
  auto wait_once = [](WaiterList<kFixed>* list) -> Async<void> {
    co_await list->wait();
  };
  // The notifier is spawned first, so under FIFO its timer fires first and
  // it notifies while the waiter still waits: no bug without perturbation.
  auto notifier = spawn([](WaiterList<kFixed>* list) -> Async<void> {
    co_await sleep_for(std::chrono::milliseconds(5));
    list->notify_all();
  }(&list));
  auto impatient = spawn([](WaiterList<kFixed>* list,
                            decltype(wait_once) wait_once) -> Async<void> {
    co_await select(wait_once(list), sleep_for(std::chrono::milliseconds(5)));
  }(&list, wait_once));
  co_await std::move(notifier);
  co_await std::move(impatient);
}

}  // namespace weft::zoo
