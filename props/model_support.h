// Helpers shared by the model-based tests: run a command against the
// system, let every task run, and compare with the model after the same
// command; pick a random index with a property.
#pragma once

#include <rapidcheck.h>

#include <cstddef>
#include <vector>

namespace weft::props {

// Does `act` on the system, settles it (sut.world.settle()), applies the
// command to a copy of the model taken before, and calls verify(after, sut).
template <typename Command, typename Model, typename Sut, typename Act,
          typename Verify>
void act_and_compare(const Command& command, const Model& before, Sut& sut,
                     Act&& act, Verify&& verify) {
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

// One of `candidates`, or discards the command when there is none.
inline std::size_t pick_one(const std::vector<std::size_t>& candidates) {
  RC_PRE(!candidates.empty());
  return *rc::gen::elementOf(candidates);
}

}  // namespace weft::props
