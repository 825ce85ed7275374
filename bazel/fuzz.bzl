"""weft_fuzz_target: one fuzz target, two ways to build it.

  <name>              the fuzz binary: libFuzzer under --config=fuzz,
                      otherwise the standalone driver (runs given files).
  <name>_corpus_test  a test that replays every file of corpus/<name>/
                      with the standalone driver, under any configuration.
"""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_test")
load("//bazel:weft.bzl", "WEFT_COPTS")

def weft_fuzz_target(name, srcs, deps = [], corpus = None):
    corpus = corpus or "corpus/" + name
    cc_binary(
        name = name,
        srcs = srcs,
        copts = WEFT_COPTS,
        deps = deps + select({
            "//fuzz:libfuzzer": [],
            "//conditions:default": ["//fuzz:standalone_driver"],
        }),
        linkopts = select({
            "//fuzz:libfuzzer": ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
    )
    cc_test(
        name = name + "_corpus_test",
        srcs = srcs,
        copts = WEFT_COPTS,
        deps = deps + ["//fuzz:standalone_driver"],
        data = native.glob([corpus + "/**"]),
        args = [native.package_name() + "/" + corpus],
    )
