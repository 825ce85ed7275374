// weft::sim::ThreadHost: what the simulated threads of a run ask of the run
// they belong to: its step, its decisions, its trace, and how to fail it.
//
// The simulator implements it (sim/core/simulator.h); keeping it this
// narrow lets sim/threads sit below sim/core, so the threads know nothing
// of tasks beyond their ids.
#pragma once

#include <cstdint>
#include <span>
#include <string>

#include "runtime/seam/source_location.h"
#include "sim/decision/decision.h"
#include "sim/report/failure.h"
#include "sim/report/run_detail.h"
#include "sim/report/trace.h"

namespace weft::sim {

class ThreadHost {
 public:
  // The run's current step (a step is one task poll, or one turn of the
  // loop when nothing is polled).
  virtual std::uint64_t step() const noexcept = 0;
  // Whether a checker has already failed the run.
  virtual bool failed() const noexcept = 0;
  // Fails the run (the first failure wins).
  virtual void fail(Checker checker, std::string message,
                    SourceLocation site = {}) = 0;
  // A decision of the run's stream; `ids` name the choices for sources
  // that want them (see wants_choice_ids).
  virtual std::uint32_t decide(DecisionKind kind, std::uint32_t bound,
                               std::uint32_t perturb_chance,
                               DecisionLabel label,
                               std::span<const std::uint64_t> ids) = 0;
  // Whether the run's decision source wants the ids of the choices.
  virtual bool wants_choice_ids() const noexcept = 0;
  // The task being polled on the executor thread (0: none).
  virtual std::uint64_t polled_task_id() const noexcept = 0;
  // Appends an event of the simulated threads to the run's trace, with
  // its source sites (kept when the run is recorded with detail).
  virtual void record_event(EventKind kind, std::uint64_t subject,
                            std::uint64_t arg, SourceLocation site = {},
                            SourceLocation other = {}) = 0;
  // The run's detail record, or nullptr when it keeps none.
  virtual RunDetail* detail() noexcept = 0;
  // Whether the run counts schedule coverage (sim/core/coverage.h); the
  // threads then tell theirs: each switch (where the running thread
  // stopped, where the next resumes) and what each atomic load read (its
  // site, the site of the store; `age` 0 for the newest store).
  virtual bool records_coverage() const noexcept = 0;
  virtual void thread_switch_coverage(SourceLocation stopped,
                                      SourceLocation resumes) noexcept = 0;
  virtual void reads_from_coverage(SourceLocation load, SourceLocation store,
                                   std::uint64_t age) noexcept = 0;

 protected:
  ~ThreadHost() = default;
};

}  // namespace weft::sim
