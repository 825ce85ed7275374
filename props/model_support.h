// Helpers shared by the model-based tests: run a command against the
// system, let every task run, and compare with the model after the same
// command; pick a random index with a property.
#pragma once

#include <rapidcheck.h>

#include <cstddef>
#include <vector>

namespace weft::props {

// Does `act` on the system, settles it (sut.world.settle()), applies the
// command to a copy of the model taken before, and compares the two with
// the test's own `verify(const Model&, Sut&)`, found beside Model.
template <typename Command, typename Model, typename Sut, typename Act>
void act_and_compare(const Command& command, const Model& before, Sut& sut,
                     Act&& act) {
  act();
  sut.world.settle();
  Model after = before;
  command.apply(after);
  verify(after, sut);
}

// Indices i of `items` with pick(items[i]); empty if none.
template <typename T, typename Pick>
std::vector<std::size_t> indices_where(const std::vector<T>& items,
                                       Pick&& pick) {
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (pick(items[i])) out.push_back(i);
  }
  return out;
}

// True while it lives: a task that holds something marks it this way, so a
// task cancelled while holding stops holding too.
class ScopedFlag {
 public:
  explicit ScopedFlag(bool* flag) : flag_(flag) { *flag_ = true; }
  ScopedFlag(const ScopedFlag&) = delete;
  ScopedFlag& operator=(const ScopedFlag&) = delete;
  ~ScopedFlag() { *flag_ = false; }

 private:
  bool* flag_;
};

// One of `candidates`, or discards the command when there is none.
inline std::size_t pick_one(const std::vector<std::size_t>& candidates) {
  RC_PRE(!candidates.empty());
  return *rc::gen::elementOf(candidates);
}

}  // namespace weft::props
