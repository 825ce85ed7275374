// weft::props::World: a simulator run driven step by step from a
// rapidcheck state test: commands act on the primitives and spawn tasks,
// then settle() lets every task run (under the generated schedule) until
// nothing can run, and the command compares what happened with its model.
#pragma once

#include <rapidcheck.h>

#include <memory>
#include <string>

#include "props/schedule.h"
#include "sim/core/simulator.h"

namespace weft::props {

class World {
 public:
  explicit World(const Schedule& schedule,
                 const sim::SimOptions& options = quiet_options())
      : schedule_(schedule), source_(schedule_), simulator_(source_, options) {
    simulator_.begin();
  }
  ~World() = default;
  World(const World&) = delete;
  World& operator=(const World&) = delete;

  sim::Simulator& simulator() { return simulator_; }

  // Runs every task until none can run; fails the property if a checker
  // fired meanwhile.
  void settle() {
    if (!simulator_.run_until_idle()) fail_with(simulator_.end());
  }
  // Tears down and checks for leaks; call once after the last command, with
  // every JoinHandle dropped (a handle still held is a task kept alive).
  void finish() {
    sim::RunResult result = simulator_.end();
    if (result.failure) fail_with(result);
  }

  // Scheduling perturbations only: the model decides every cancellation.
  static sim::SimOptions quiet_options() {
    sim::SimOptions options;
    options.perturbations.cancel_probability = 0;
    options.perturbations.buggify_site_probability = 0;
    return options;
  }

 private:
  [[noreturn]] void fail_with(const sim::RunResult& result) {
    RC_FAIL("weft: " + std::string(sim::to_string(result.failure->checker)) +
            " checker fired at step " + std::to_string(result.failure->step) +
            ": " + result.failure->message + "\nlast events:\n" +
            simulator_.trace().timeline(30));
  }

  Schedule schedule_;
  ScheduleSource source_;
  sim::Simulator simulator_;
};

}  // namespace weft::props
