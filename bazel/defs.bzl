"""Rules for a workspace that uses weft (see examples/consumer/).

    load("@weft//bazel:defs.bzl", "weft_library", "weft_sim_test")

  weft_library    a cc_library compiled as C++20 (weft's coroutines need it)
  weft_sim_test   a cc_test with the simulator, GoogleTest and its main:
                  write WEFT_SIM_TEST(Suite, Name) { ... } and nothing else
  weft_fuzz_target  a libFuzzer target of a scenario, and the test that
                  replays its corpus (see fuzz/README.md)

Any rule works as long as it compiles with -std=c++20 (or the workspace's
.bazelrc says `build --cxxopt=-std=c++20`); these only save the lines.
"""

load("@rules_cc//cc:defs.bzl", "cc_library", "cc_test")
load("//bazel:fuzz.bzl", _weft_fuzz_target = "weft_fuzz_target")

WEFT_USER_COPTS = ["-std=c++20"]

_SIM = str(Label("//sim"))
_FUZZ_SCENARIO = str(Label("//fuzz:fuzz_scenario"))

def weft_library(name, copts = [], **kwargs):
    cc_library(name = name, copts = WEFT_USER_COPTS + copts, **kwargs)

def weft_sim_test(name, copts = [], deps = [], **kwargs):
    cc_test(
        name = name,
        copts = WEFT_USER_COPTS + copts,
        deps = deps + [
            _SIM,
            "@googletest_main//:gtest_main",
        ],
        **kwargs
    )

def weft_fuzz_target(name, srcs, deps = [], corpus = None, copts = []):
    _weft_fuzz_target(
        name = name,
        srcs = srcs,
        deps = deps + [_FUZZ_SCENARIO],
        corpus = corpus,
        copts = WEFT_USER_COPTS + copts,
    )
