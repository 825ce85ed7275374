// The simulated network under libFuzzer: the input bytes decide every
// message's delay, loss, duplication, reset and cut, and each host's clock
// skew. The fixed twins of the zoo's distributed components
// (sim/zoo/network_catalogue.h) run one after another; none may ever fail.
#include "fuzz/fuzz_scenario.h"
#include "sim/zoo/network_catalogue.h"

namespace {

weft::Async<void> scenario() {
  for (const weft::zoo::Component& component : weft::zoo::network_catalogue()) {
    co_await component.fixed();
  }
}

}  // namespace

WEFT_FUZZ_SCENARIO(net_fuzz, scenario, weft::sim::SimOptions{})
