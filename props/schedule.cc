#include "props/schedule.h"

namespace weft::props {

rc::Gen<Schedule> gen_schedule() {
  return rc::gen::map(rc::gen::container<std::vector<std::uint32_t>>(
                          rc::gen::weightedOneOf<std::uint32_t>(
                              {{3, rc::gen::just<std::uint32_t>(0)},
                               {1, rc::gen::inRange<std::uint32_t>(1, 16)}})),
                      [](std::vector<std::uint32_t> choices) {
                        return Schedule{std::move(choices)};
                      });
}

sim::RunResult run(const sim::Scenario& scenario, const Schedule& schedule,
                   const sim::SimOptions& options) {
  ScheduleSource source(schedule);
  return sim::run_once(scenario, options, source);
}

void expect_clean(const sim::RunResult& run) {
  if (!run.failure) return;
  RC_FAIL("weft: " + std::string(sim::to_string(run.failure->checker)) +
          " checker fired at step " + std::to_string(run.failure->step) + ": " +
          run.failure->message + "\nlast events:\n" + run.timeline);
}

void show_schedule(const Schedule& schedule, std::ostream& out) {
  out << "Schedule{" << schedule.choices.size() << " choices;";
  for (std::size_t i = 0; i < schedule.choices.size(); ++i) {
    if (schedule.choices[i] != 0)
      out << " #" << i << "=" << schedule.choices[i];
  }
  out << "}";
}

}  // namespace weft::props
