// The async workloads the benchmarks share: a token passed around a ring
// of Notify objects, and producer/consumer pairs on bounded channels. The
// same code runs on LocalExecutor and inside the simulator.
#pragma once

#include <vector>

#include "runtime/weft.h"

namespace weft::bench {

// `tasks` tasks pass one token around a ring of Notify objects, `rounds`
// times: one poll per hand-off.
inline weft::Async<void> ring(int tasks, int rounds) {
  std::vector<weft::Notify> turns(static_cast<std::size_t>(tasks));
  weft::JoinSet<void> set;
  for (int i = 0; i < tasks; ++i) {
    set.spawn([](std::vector<weft::Notify>* turns, int i,
                 int rounds) -> weft::Async<void> {
      const auto n = turns->size();
      for (int r = 0; r < rounds; ++r) {
        co_await (*turns)[static_cast<std::size_t>(i)].notified();
        (*turns)[(static_cast<std::size_t>(i) + 1) % n].notify_one();
      }
    }(&turns, i, rounds));
  }
  turns[0].notify_one();
  while (co_await set.join_next()) {
  }
}

// Ten tasks ping-ponging on channels (producer/consumer pairs).
inline weft::Async<void> channel_pairs(int pairs, int messages) {
  weft::JoinSet<void> set;
  for (int p = 0; p < pairs; ++p) {
    auto [tx, rx] = weft::mpsc::bounded<int>(1);
    set.spawn(
        [](weft::mpsc::Sender<int> tx, int messages) -> weft::Async<void> {
          for (int i = 0; i < messages; ++i) (void)co_await tx.send(i);
        }(std::move(tx), messages));
    set.spawn([](weft::mpsc::Receiver<int> rx) -> weft::Async<void> {
      while (co_await rx.recv()) {
      }
    }(std::move(rx)));
  }
  while (co_await set.join_next()) {
  }
}

}  // namespace weft::bench
