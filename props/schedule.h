// weft::props::Schedule: a rapidcheck-generated schedule for a simulated
// run, so a property can generate its inputs and its interleaving together
// and rapidcheck shrinks both:
//
//   RC_GTEST_PROP(Queue, KeepsOrder, (std::vector<int> items,
//                                     weft::props::Schedule schedule)) {
//     weft::props::expect_clean(weft::props::run(scenario(items), schedule));
//   }
//
// A schedule is a list of choices, mostly 0; the run's i-th decision takes
// choice i modulo the options it has, and 0 once the list runs out.
// rapidcheck shrinks it by dropping choices and lowering them towards 0,
// that is, towards fewer and smaller perturbations.
#pragma once

#include <rapidcheck.h>

#include <cstdint>
#include <ostream>
#include <string>
#include <vector>

#include "sim/core/options.h"
#include "sim/decision/decision_source.h"
#include "sim/sweep/single_run.h"

namespace weft::props {

struct Schedule {
  std::vector<std::uint32_t> choices;
};

class ScheduleSource final : public sim::DecisionSource {
 public:
  explicit ScheduleSource(const Schedule& schedule) : schedule_(schedule) {}
  std::uint32_t choose(sim::DecisionKind, std::uint32_t bound,
                       const sim::DecisionContext&) override {
    if (position_ >= schedule_.choices.size()) return 0;
    return schedule_.choices[position_++] % bound;
  }

 private:
  const Schedule& schedule_;
  std::size_t position_ = 0;
};

// Mostly-zero choices (one in four perturbs), up to rapidcheck's size.
rc::Gen<Schedule> gen_schedule();

// One run of `scenario` under `schedule`.
sim::RunResult run(const sim::Scenario& scenario, const Schedule& schedule,
                   const sim::SimOptions& options = {});

// Fails the property with the run's report if a checker fired.
void expect_clean(const sim::RunResult& run);

void show_schedule(const Schedule& schedule, std::ostream& out);

}  // namespace weft::props

namespace rc {

template <>
struct Arbitrary<weft::props::Schedule> {
  static Gen<weft::props::Schedule> arbitrary() {
    return weft::props::gen_schedule();
  }
};

}  // namespace rc

namespace weft::props {
inline void showValue(const Schedule& schedule, std::ostream& out) {
  show_schedule(schedule, out);
}
}  // namespace weft::props
