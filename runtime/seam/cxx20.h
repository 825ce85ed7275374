// A compile-time check that the code including weft is compiled as C++20
// (coroutines, concepts, designated initialisers): the first error a user
// compiling with an older standard sees says so, instead of one deep in a
// weft header. Every weft header includes it first, through
// source_location.h; the umbrellas include it directly.
#pragma once

#if !defined(__cplusplus) || __cplusplus < 202002L
#error \
    "weft needs C++20: compile with -std=c++20 (with Bazel: add --cxxopt=-std=c++20 to the workspace's .bazelrc, or use weft_library / weft_sim_test from @weft//bazel:defs.bzl, which add it)"
#endif
