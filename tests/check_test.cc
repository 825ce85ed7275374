// weft's own invariant checks fire on the misuses they guard (and say
// which check, with both values), and inside a simulation they are a
// protocol-misuse report instead of an abort.
#include "runtime/seam/check.h"

#include <gtest/gtest.h>

#include "runtime/future/intrusive_list.h"
#include "runtime/future/poll.h"

namespace weft {
namespace {

struct Node : ListLinks<Node> {};

TEST(CheckDeathTest, RemovingANodeThatIsInNoListIsCaught) {
  IntrusiveList<Node> list;
  Node node;
  EXPECT_DEATH(list.remove(node),
               "internal check failed: node.list_linked \\(remove of a node "
               "that is in no list\\)");
}

TEST(CheckDeathTest, LinkingANodeTwiceIsCaught) {
  IntrusiveList<Node> list;
  Node node;
  list.push_back(node);
  EXPECT_DEATH(list.push_back(node), "a node is in one list at a time");
  list.remove(node);
}

TEST(CheckDeathTest, TheValueOfAPendingPollIsCaught) {
  Poll<int> pending(kPending);
  EXPECT_DEATH((void)pending.value(), "value\\(\\) of a Pending poll");
}

TEST(CheckDeathTest, AComparisonPrintsBothValues) {
  const unsigned size = 3;
  EXPECT_DEATH(WEFT_CHECK_LT(7u, size),
               "internal check failed: 7u < size \\(7 vs 3\\)");
}

TEST(Check, APassingCheckDoesNothing) {
  IntrusiveList<Node> list;
  Node node;
  list.push_back(node);
  list.remove(node);
  WEFT_CHECK_EQ(list.size(), 0u);
  EXPECT_TRUE(list.empty());
}

}  // namespace
}  // namespace weft
