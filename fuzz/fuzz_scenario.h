// Turns a simulated scenario into a libFuzzer target in one line:
//
//   WEFT_FUZZ_SCENARIO(notify_fuzz, my_scenario, weft::sim::SimOptions{})
//
// The fuzz input's bytes become the run's decisions (weft::sim::ByteSource:
// one byte per decision, and unperturbed once the bytes run out, so short
// inputs mean something). When a checker fires, the target prints the
// failure (shrunk, with the decisions that replay it) and aborts, so
// libFuzzer keeps the input; running the target on that file reproduces
// the same report.
//
// Built with --config=fuzz the target links libFuzzer; otherwise it links
// a small standalone driver that runs the files it is given, which is how
// `bazel test //fuzz/...` replays every checked-in corpus (see fuzz.bzl).
#pragma once

#include <cstddef>
#include <cstdint>

#include "sim/core/options.h"
#include "sim/sweep/single_run.h"

namespace weft::fuzz {

// Runs `scenario` on `data`; aborts with a report if a checker fires.
int run_input(const char* target_name, const sim::Scenario& scenario,
              const sim::SimOptions& options, const std::uint8_t* data,
              std::size_t size);

}  // namespace weft::fuzz

#define WEFT_FUZZ_SCENARIO(target_name, scenario, options)                    \
  extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,             \
                                        std::size_t size) {                   \
    return ::weft::fuzz::run_input(#target_name, (scenario), (options), data, \
                                   size);                                     \
  }
