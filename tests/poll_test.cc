#include "runtime/future/poll.h"

#include <gtest/gtest.h>

#include <memory>
#include <string>

namespace weft {
namespace {

TEST(Poll, PendingHasNoValue) {
  Poll<int> poll = kPending;
  EXPECT_TRUE(poll.is_pending());
  EXPECT_FALSE(poll.is_ready());
}

TEST(Poll, ReadyCarriesTheValue) {
  Poll<std::string> poll = std::string("done");
  ASSERT_TRUE(poll.is_ready());
  EXPECT_EQ(poll.value(), "done");
}

TEST(Poll, ReadyOfMoveOnlyValueCanBeTaken) {
  Poll<std::unique_ptr<int>> poll = std::make_unique<int>(7);
  std::unique_ptr<int> value = std::move(poll).take();
  EXPECT_EQ(*value, 7);
}

TEST(Poll, VoidIsReadyOrPending) {
  Poll<void> pending = kPending;
  Poll<void> done = ready();
  EXPECT_TRUE(pending.is_pending());
  EXPECT_TRUE(done.is_ready());
}

}  // namespace
}  // namespace weft
