#include "sim/core/eventually.h"

#include "runtime/seam/assert.h"
#include "sim/core/simulator.h"

namespace weft::sim::detail {
namespace {

std::string in_words(Duration within) {
  const auto ns = within.count();
  if (ns % 1000000 == 0) return std::to_string(ns / 1000000) + " ms";
  if (ns % 1000 == 0) return std::to_string(ns / 1000) + " us";
  return std::to_string(ns) + " ns";
}

}  // namespace

void report_not_eventually(const std::string& name, Duration within,
                           std::uint32_t checks, SourceLocation site) {
  std::string what = "eventually \"" + name + "\" was still false after " +
                     in_words(within) + " of virtual time (checked " +
                     std::to_string(checks) + " times)";
  if (Simulator* simulator = Simulator::current()) {
    simulator->fail_liveness(std::move(what), site);
    return;
  }
  report_invariant_failure("eventually(" + name + ")", what, site);
}

}  // namespace weft::sim::detail
