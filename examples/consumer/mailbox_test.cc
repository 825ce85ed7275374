// The simulated test of Mailbox: two receivers wait, two values are sent;
// each value must reach a receiver. weft runs it under 200 schedules (the
// environment knobs can change that) and reports any that fails.
#include "mailbox.h"
#include "sim/weft_sim.h"

namespace {

weft::Async<int> receive_one(Mailbox<int>* box) {
  co_return co_await box->recv();
}

}  // namespace

WEFT_SIM_TEST(Mailbox, EveryMessageReachesAReceiver) {
  Mailbox<int> box;
  auto first = weft::spawn(receive_one(&box));
  auto second = weft::spawn(receive_one(&box));
  co_await weft::yield_now();
  box.send(1);
  co_await weft::yield_now();
  box.send(2);
  const int sum = co_await std::move(first) + co_await std::move(second);
  WEFT_ASSERT_EQ(sum, 3);
}
