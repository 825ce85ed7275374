// weft::IntrusiveList<Node>: a FIFO doubly-linked list whose links live in
// the nodes (Node has `Node* list_previous` and `Node* list_next`), so that
// waiting futures can queue themselves without allocating and unlink
// themselves in O(1) when dropped. Not thread safe: the owner's lock guards
// it. A node knows whether it is linked through `linked()`.
#pragma once

#include <cstddef>

#include "runtime/seam/check.h"

namespace weft {

// Embed (or derive from) this in a node type.
template <typename Node>
struct ListLinks {
  Node* list_previous = nullptr;
  Node* list_next = nullptr;
  bool list_linked = false;
};

template <typename Node>
class IntrusiveList {
 public:
  IntrusiveList() = default;
  IntrusiveList(const IntrusiveList&) = delete;
  IntrusiveList& operator=(const IntrusiveList&) = delete;

  static bool linked(const Node& node) noexcept { return node.list_linked; }

  void push_back(Node& node) noexcept {
    WEFT_CHECK(!node.list_linked, "a node is in one list at a time");
    WEFT_CHECK((tail_ == nullptr) == (size_ == 0), "tail and size agree");
    node.list_previous = tail_;
    node.list_next = nullptr;
    node.list_linked = true;
    if (tail_ == nullptr) {
      head_ = &node;
    } else {
      tail_->list_next = &node;
    }
    tail_ = &node;
    ++size_;
  }

  // `node` must be in this list (removing an unlinked node would empty
  // the list without a trace).
  void remove(Node& node) noexcept {
    WEFT_CHECK(node.list_linked, "remove of a node that is in no list");
    WEFT_CHECK_LT(0u, size_);
    WEFT_CHECK(node.list_previous != nullptr || head_ == &node,
               "a first node is the head of this list");
    if (node.list_previous != nullptr) {
      node.list_previous->list_next = node.list_next;
    } else {
      head_ = node.list_next;
    }
    if (node.list_next != nullptr) {
      node.list_next->list_previous = node.list_previous;
    } else {
      tail_ = node.list_previous;
    }
    node.list_previous = nullptr;
    node.list_next = nullptr;
    node.list_linked = false;
    --size_;
  }

  Node* front() const noexcept { return head_; }
  Node* back() const noexcept { return tail_; }
  Node* pop_front() noexcept {
    Node* node = head_;
    if (node != nullptr) remove(*node);
    return node;
  }
  static Node* next(const Node& node) noexcept { return node.list_next; }

  bool empty() const noexcept { return head_ == nullptr; }
  std::size_t size() const noexcept { return size_; }

 private:
  Node* head_ = nullptr;
  Node* tail_ = nullptr;
  std::size_t size_ = 0;
};

}  // namespace weft
