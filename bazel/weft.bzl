"""Compiler flags and rule wrappers shared by every weft package.

Project code builds with warnings as errors; third-party headers come in with
-isystem (see system_library.bzl), so their warnings stay out of the way.
"""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_library", "cc_test")

WEFT_COPTS = [
    # Also when weft is built inside another workspace whose .bazelrc does
    # not ask for C++20.
    "-std=c++20",
    "-Wall",
    "-Wextra",
    "-Werror",
    "-Wno-unused-parameter",
    # GCC's -Wmaybe-uninitialized misfires on nested std::optional once
    # optimised. Clang lacks that warning; the first flag keeps it quiet
    # about the name (GCC ignores unknown -Wno- flags).
    "-Wno-unknown-warning-option",
    "-Wno-maybe-uninitialized",
]

def weft_cc_library(name, copts = [], **kwargs):
    cc_library(name = name, copts = WEFT_COPTS + copts, **kwargs)

def weft_cc_binary(name, copts = [], **kwargs):
    cc_binary(name = name, copts = WEFT_COPTS + copts, **kwargs)

def weft_cc_test(name, copts = [], deps = [], **kwargs):
    """A GoogleTest test; gtest_main supplies main()."""
    cc_test(
        name = name,
        copts = WEFT_COPTS + copts,
        deps = deps + [
            "@googletest//:gtest",
            "@googletest_main//:gtest_main",
        ],
        **kwargs
    )
