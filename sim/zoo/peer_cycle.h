// Two peers, each with a mailbox that stores its task's waker and holds a
// shared_ptr to the other peer's mailbox. The bug: the two mailboxes own
// each other, so when the tasks are dropped the mailboxes (and the wakers
// in them, and through those the tasks' memory) are never freed: a
// reference-cycle leak. The fixed twin holds the peer by weak_ptr.
#pragma once

#include <memory>
#include <type_traits>

#include "runtime/future/async.h"
#include "runtime/future/future.h"
#include "runtime/future/yield_now.h"
#include "runtime/task/executor.h"

namespace weft::zoo {

template <bool kFixed>
struct Mailbox {
  using PeerLink = std::conditional_t<kFixed, std::weak_ptr<Mailbox>,
                                      std::shared_ptr<Mailbox>>;
  PeerLink peer;
  int messages = 0;
  Waker waker;

  std::shared_ptr<Mailbox> peer_mailbox() const {
    if constexpr (kFixed) {
      return peer.lock();
    } else {
      return peer;
    }
  }

  struct Receive {
    using Output = void;
    Mailbox* mailbox;
    Poll<void> poll(Context& cx) {
      if (mailbox->messages > 0) {
        --mailbox->messages;
        return ready();
      }
      store_waker(mailbox->waker, cx.waker());
      return kPending;
    }
  };
};

// Two peers exchange one message each, then wait for a second message that
// never comes; the scenario ends without them.
template <bool kFixed>
Async<void> peer_cycle_scenario() {
  auto a = std::make_shared<Mailbox<kFixed>>();
  auto b = std::make_shared<Mailbox<kFixed>>();
  a->peer = b;
  b->peer = a;
  auto peer = [](std::shared_ptr<Mailbox<kFixed>> self) -> Async<void> {
    if (auto other = self->peer_mailbox()) {
      ++other->messages;
      std::move(other->waker).wake();
    }
    for (int i = 0; i < 2; ++i) {
      co_await typename Mailbox<kFixed>::Receive{self.get()};
    }
  };
  spawn(peer(a)).detach();
  spawn(peer(b)).detach();
  a.reset();
  b.reset();
  for (int i = 0; i < 4; ++i) co_await yield_now();
}

}  // namespace weft::zoo
