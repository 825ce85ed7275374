// The canary: a target with a planted bug (the check-then-act account). A
// fuzzing campaign that does not find it within its smoke budget is not
// working; CI runs it and expects the crash.
#include "fuzz/fuzz_scenario.h"
#include "sim/zoo/check_then_act.h"

WEFT_FUZZ_SCENARIO(canary_fuzz, weft::zoo::check_then_act_scenario<false>,
                   weft::sim::SimOptions{})
