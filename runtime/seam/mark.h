// Coverage marks: code under test and scenarios say which states a run
// reached, so that a sweep can say how often each was reached and fail a
// test that never gets where it meant to (FoundationDB's TEST() macro and
// "sometimes" assertions are the models).
//
//   weft::mark("queue full");              reached a state
//   WEFT_SOMETIMES(retries > 0, "retried"); a condition that must hold in
//                                           at least one run of a sweep
//
// A sweep reports per mark how many runs reached it. A WEFT_SOMETIMES that
// was checked but never held fails the sweep ("sometimes retried was
// never true in 200 runs"); a plain mark is required only when the test
// lists it (SimOptions::required_marks), since a mark that is never
// executed cannot say it exists. Outside a simulation both cost one
// thread-local load.
#pragma once

#include <string_view>

#include "runtime/seam/source_location.h"

namespace weft {

void mark(std::string_view name,
          SourceLocation site = SourceLocation::current());

// Records that `name` was checked, and reached if `held`; returns `held`.
bool sometimes(bool held, std::string_view name,
               SourceLocation site = SourceLocation::current());

}  // namespace weft

#define WEFT_SOMETIMES(condition, name) \
  ::weft::sometimes(static_cast<bool>(condition), (name))
