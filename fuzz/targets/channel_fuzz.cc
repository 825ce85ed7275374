// Bounded mpsc and oneshot with cancellable senders and a receiver that
// gives up on a timeout: every message a send reported delivered arrives
// exactly once, and a oneshot delivers or says it could not.
#include <chrono>
#include <set>

#include "fuzz/fuzz_scenario.h"
#include "runtime/weft.h"
#include "sim/core/simulator.h"

namespace {

using weft::Async;
using namespace std::chrono_literals;

Async<void> producer(weft::mpsc::Sender<int> tx, int base,
                     std::set<int>* delivered) {
  for (int i = 0; i < 3; ++i) {
    weft::SendResult<int> sent = co_await tx.send(base + i);
    if (sent.ok()) delivered->insert(base + i);
  }
}

Async<void> scenario() {
  auto [tx, rx] = weft::mpsc::bounded<int>(2);
  std::set<int> delivered;
  std::vector<weft::JoinHandle<void>> producers;
  for (int p = 0; p < 3; ++p) {
    producers.push_back(
        p == 1 ? weft::sim::spawn_cancellable(producer(tx, p * 10, &delivered))
               : weft::spawn(producer(tx, p * 10, &delivered)));
  }
  { auto last = std::move(tx); }
  std::multiset<int> received;
  while (true) {
    auto next = co_await weft::select(rx.recv(), weft::sleep_for(5ms));
    if (next.index() == 1) continue;  // a quiet moment; the recv was dropped
    std::optional<int> value = std::get<0>(std::move(next));
    if (!value) break;
    received.insert(*value);
  }
  for (auto& handle : producers) {
    try {
      co_await std::move(handle);
    } catch (const weft::TaskCancelled&) {
    }
  }
  WEFT_ASSERT_EQ(received.size(), delivered.size());
  for (int value : delivered) {
    WEFT_ASSERT_EQ(received.count(value), 1u);
  }

  auto [once_tx, once_rx] = weft::oneshot::channel<int>();
  auto waiter = weft::sim::spawn_cancellable(
      [](weft::oneshot::Receiver<int> rx) -> Async<void> {
        std::optional<int> value = co_await std::move(rx);
        WEFT_ASSERT(!value || *value == 7,
                    "a oneshot delivered the wrong value");
      }(std::move(once_rx)));
  co_await weft::yield_now();
  weft::SendResult<int> sent = once_tx.send(7);
  try {
    co_await std::move(waiter);
  } catch (const weft::TaskCancelled&) {
    co_return;  // dropped before or after the send: both are fine
  }
  WEFT_ASSERT(sent.ok(), "the receiver finished but the send was refused");
}

}  // namespace

WEFT_FUZZ_SCENARIO(channel_fuzz, scenario, weft::sim::SimOptions{})
