// weft::TaskCancelled: what awaiting a JoinHandle throws when its task was
// cancelled (aborted, or dropped by an executor shutting down) instead of
// finishing.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>

namespace weft {

class TaskCancelled : public std::runtime_error {
 public:
  explicit TaskCancelled(std::uint64_t task_id)
      : std::runtime_error("weft: task " + std::to_string(task_id) +
                           " was cancelled before it finished"),
        task_id_(task_id) {}
  std::uint64_t task_id() const noexcept { return task_id_; }

 private:
  std::uint64_t task_id_;
};

}  // namespace weft
