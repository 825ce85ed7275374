// Simulated disks under libFuzzer: the input bytes decide every storage
// operation's latency and injected fault (EIO, ENOSPC, a short write, a
// failed sync that drops its data) and, at each crash, which changes not
// yet synced are kept, lost or torn. The fixed twins of the zoo's storage
// components (sim/zoo/storage_catalogue.h) run one after another; none may
// ever fail.
#include "fuzz/fuzz_scenario.h"
#include "sim/zoo/storage_catalogue.h"

namespace {

weft::Async<void> scenario() {
  for (const weft::zoo::Component& component : weft::zoo::storage_catalogue()) {
    co_await component.fixed();
  }
}

}  // namespace

WEFT_FUZZ_SCENARIO(storage_fuzz, scenario, weft::sim::SimOptions{})
