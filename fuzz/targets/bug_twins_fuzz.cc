// The fixed twins of the zoo (sim/zoo/catalogue.h), one after another:
// none of them may ever fail, whatever the schedule.
#include "fuzz/fuzz_scenario.h"
#include "sim/zoo/catalogue.h"

namespace {

weft::Async<void> scenario() {
  for (const weft::zoo::Component& component : weft::zoo::catalogue()) {
    co_await component.fixed();
  }
}

}  // namespace

WEFT_FUZZ_SCENARIO(bug_twins_fuzz, scenario, weft::sim::SimOptions{})
