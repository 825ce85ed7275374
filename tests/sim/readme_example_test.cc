// The example from README.md ("Testing async code with the simulator"),
// kept compiling and passing here.
#include <gtest/gtest.h>

#include "sim/weft_sim.h"

namespace {

weft::Async<int> read_all(weft::mpsc::Receiver<int> rx) {
  int count = 0;
  while (co_await rx.recv()) ++count;
  co_return count;
}

weft::Async<void> write_all(weft::mpsc::Sender<int> tx) {
  for (int i = 0; i < 3; ++i) (void)co_await tx.send(i);
}

TEST(Inbox, NoMessageIsLost) {
  weft::sim::expect_no_failure([]() -> weft::Async<void> {
    auto [tx, rx] = weft::mpsc::bounded<int>(1);
    auto reader = weft::spawn(read_all(std::move(rx)));
    co_await write_all(std::move(tx));
    WEFT_ASSERT(co_await std::move(reader) == 3, "a message was lost");
  });
}

}  // namespace
