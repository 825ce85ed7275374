// Simulated threads in words: each thread and what it waits for, for
// deadlock, stuck-task and race reports.
#include <algorithm>
#include <string>
#include <vector>

#include "sim/report/site_text.h"
#include "sim/threads/sim_threads.h"
#include "sim/threads/thread_state.h"

namespace weft::sim {

std::string SimThreads::thread_name(std::uint32_t id) const {
  if (id == 0) return "thread 0 (the executor)";
  return "thread " + std::to_string(id);
}

bool SimThreads::any_finished() const noexcept {
  for (std::size_t i = 1; i < threads_.size(); ++i) {
    if (threads_[i]->state == Thread::State::kFinished) return true;
  }
  return false;
}

std::string SimThreads::describe(const Thread& thread,
                                 std::string_view executor_runnable) const {
  std::string out = "  " + thread_name(thread.id);
  if (thread.id != 0)
    out += " (spawned at " + site_text(thread.spawned_at) + ")";
  switch (thread.state) {
    case Thread::State::kFinished:
      out += ": finished at step " + std::to_string(thread.finished_step);
      break;
    case Thread::State::kRunnable:
      out += ": ";
      out += thread.id == 0 ? executor_runnable : "runnable";
      break;
    case Thread::State::kBlocked:
      switch (thread.wait) {
        case Wait::kMutex: {
          auto found = objects_.find(thread.waiting_on);
          out += ": waits at " + site_text(thread.wait_site) +
                 " to lock a mutex held by " + thread_name(thread.waiting_for);
          if (found != objects_.end()) {
            out += " (locked at " + site_text(found->second.locked_at) + ")";
          }
          break;
        }
        case Wait::kCondvar:
          out += ": waits on a condition variable at " +
                 site_text(thread.wait_site) + " (no notify will come)";
          break;
        case Wait::kJoin:
          out += ": waits at " + site_text(thread.wait_site) + " to join " +
                 thread_name(thread.waiting_for);
          break;
        case Wait::kIdle:
          out += ": idle, no task to poll";
          break;
        case Wait::kNone:
          out += ": blocked";
          break;
      }
      break;
  }
  return out + "\n";
}

std::string SimThreads::describe_held_mutexes() const {
  std::string out;
  for (std::size_t i = 0; i < alone_held_count_; ++i) {
    out += "  a weft::sync::mutex locked at " + site_text(alone_held_[i].site) +
           " by thread 0 (the executor) is still locked\n";
  }
  // Lookup-keyed by address: sort by where they were locked, so the text
  // does not depend on addresses.
  std::vector<std::string> lines;
  for (const auto& [address, object] : objects_) {
    if (!object.locked) continue;
    lines.push_back("  a weft::sync::mutex locked at " +
                    site_text(object.locked_at) + " by " +
                    thread_name(object.holder) + " is still locked\n");
  }
  std::sort(lines.begin(), lines.end());
  for (const std::string& line : lines) out += line;
  return out;
}

std::string SimThreads::describe_threads(
    std::string_view executor_runnable) const {
  std::string out;
  for (const std::unique_ptr<Thread>& thread : threads_) {
    out += describe(*thread, executor_runnable);
  }
  return out;
}

}  // namespace weft::sim
