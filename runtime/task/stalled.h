// weft::Stalled: what block_on throws when its future is pending and nothing
// can ever wake it (no task can run and nothing else is pending): a deadlock
// or lost wakeup in the code under test. The message lists every unfinished
// task and where it waits.
#pragma once

#include <stdexcept>
#include <string>

namespace weft {

class Stalled : public std::runtime_error {
 public:
  explicit Stalled(const std::string& report) : std::runtime_error(report) {}
};

}  // namespace weft
