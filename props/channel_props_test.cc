// A property that generates its input and its schedule together: whatever
// the items and however the tasks interleave, a bounded channel delivers
// every item once, in order. rapidcheck shrinks both the items and the
// schedule when it fails.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>

#include <vector>

#include "props/schedule.h"
#include "runtime/weft.h"

namespace weft::props {
namespace {

Async<void> pipe(std::vector<int> items) {
  auto [tx, rx] = mpsc::bounded<int>(2);
  auto reader = spawn([](mpsc::Receiver<int> rx) -> Async<std::vector<int>> {
    std::vector<int> got;
    while (auto item = co_await rx.recv()) got.push_back(*item);
    co_return got;
  }(std::move(rx)));
  co_await [](mpsc::Sender<int> tx, std::vector<int> items) -> Async<void> {
    for (int item : items)
      WEFT_ASSERT((co_await tx.send(item)).ok(), "send refused");
  }(std::move(tx), items);
  std::vector<int> got = co_await std::move(reader);
  WEFT_ASSERT(got == items, "items were lost, duplicated or reordered");
}

RC_GTEST_PROP(ChannelProps, DeliversEveryItemInOrder,
              (std::vector<int> items, Schedule schedule)) {
  expect_clean(run([items] { return pipe(items); }, schedule));
}

}  // namespace
}  // namespace weft::props
