"""weft_dependencies(): everything weft needs, from Debian's packages.

A workspace that uses weft calls this once, after bringing weft in:

    local_repository(name = "weft", path = "/path/to/weft")
    load("@weft//bazel:deps.bzl", "weft_dependencies")
    weft_dependencies()

It declares (unless the workspace already has them): rules_cc (Debian's
0.0.4, adapted to Bazel 4.2.3), rules_java, platforms, GoogleTest,
rapidcheck, liburing, Google Benchmark, Asio, nlohmann-json and CLI11, and a local
stand-in for @remote_coverage_tools so that queries and tests never try
to download. Nothing is downloaded: each comes from a Debian package, and
a missing one fails with the package to install.
"""

load("//bazel:coverage_tools.bzl", "local_coverage_tools")
load("//bazel:debian_rules_cc.bzl", "debian_rules_cc")
load("//bazel:system_library.bzl", "system_library")

def _maybe(rule, name, **kwargs):
    if name not in native.existing_rules():
        rule(name = name, **kwargs)

def weft_dependencies():
    _maybe(debian_rules_cc, "rules_cc")
    _maybe(
        native.local_repository,
        "rules_java",
        path = "/usr/share/bazel/rules/java",
    )
    _maybe(
        native.local_repository,
        "platforms",
        path = "/usr/share/bazel/platforms",
    )
    _maybe(local_coverage_tools, "remote_coverage_tools")
    _maybe(
        system_library,
        "googletest",
        include_paths = [
            "/usr/include/gtest",
            "/usr/include/gmock",
        ],
        libs = [
            "libgmock.a",
            "libgtest.a",
        ],
        linkopts = ["-pthread"],
        package = "libgtest-dev libgmock-dev",
        target = "gtest",
    )
    _maybe(
        system_library,
        "googletest_main",
        libs = ["libgtest_main.a"],
        package = "libgtest-dev",
        target = "gtest_main",
        deps = ["@googletest//:gtest"],
    )
    _maybe(
        system_library,
        "rapidcheck",
        include_paths = [
            "/usr/include/rapidcheck",
            "/usr/include/rapidcheck.h",
        ],
        libs = ["librapidcheck.a"],
        package = "librapidcheck-dev",
        target = "rapidcheck",
        deps = ["@googletest//:gtest"],
    )
    _maybe(
        system_library,
        "liburing",
        include_paths = [
            "/usr/include/liburing",
            "/usr/include/liburing.h",
        ],
        libs = ["liburing.a"],
        package = "liburing-dev",
        target = "liburing",
    )
    _maybe(
        system_library,
        "benchmark",
        include_paths = ["/usr/include/benchmark"],
        libs = ["libbenchmark.so"],
        linkopts = ["-pthread"],
        package = "libbenchmark-dev",
        target = "benchmark",
    )
    _maybe(
        system_library,
        "asio",
        include_paths = [
            "/usr/include/asio",
            "/usr/include/asio.hpp",
        ],
        package = "libasio-dev",
        target = "asio",
    )
    _maybe(
        system_library,
        "nlohmann_json",
        include_paths = ["/usr/include/nlohmann"],
        package = "nlohmann-json3-dev",
        target = "json",
    )
    _maybe(
        system_library,
        "cli11",
        include_paths = ["/usr/include/CLI"],
        package = "libcli11-dev",
        target = "cli11",
    )
