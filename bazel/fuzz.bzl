"""weft_fuzz_target: one fuzz target, two ways to build it.

  <name>              the fuzz binary: libFuzzer under --config=fuzz,
                      otherwise the standalone driver (runs given files).
  <name>_corpus_test  a test that replays every file of corpus/<name>/
                      with the standalone driver, under any configuration.

Usable from another workspace: labels of weft's own targets are resolved
in weft's repository (Label), the corpus in the caller's package.
"""

load("@rules_cc//cc:defs.bzl", "cc_binary", "cc_test")
load("//bazel:weft.bzl", "WEFT_COPTS")

_DRIVER = str(Label("//fuzz:standalone_driver"))
_LIBFUZZER = str(Label("//fuzz:libfuzzer"))

def weft_fuzz_target(name, srcs, deps = [], corpus = None, copts = WEFT_COPTS):
    corpus = corpus or "corpus/" + name
    cc_binary(
        name = name,
        testonly = True,
        srcs = srcs,
        copts = copts,
        deps = deps + select({
            _LIBFUZZER: [],
            "//conditions:default": [_DRIVER],
        }),
        linkopts = select({
            _LIBFUZZER: ["-fsanitize=fuzzer"],
            "//conditions:default": [],
        }),
    )
    cc_test(
        name = name + "_corpus_test",
        srcs = srcs,
        copts = copts,
        deps = deps + [_DRIVER],
        data = native.glob([corpus + "/**"]),
        args = [native.package_name() + "/" + corpus],
    )
