"""Exposes Debian's packaged rules_cc (bazel-rules-cc) to Bazel 4.2.3.

Debian ships rules_cc 0.0.4, one step newer than Bazel 4.2.3: two of its files
load `use_cpp_toolchain` from @bazel_tools, which only Bazel 5 and later have.
This rule copies the packaged tree into the external repository and points
those two loads at a small compatibility file that supplies the function.
"""

_FILES_NEEDING_COMPAT = [
    "cc/private/rules_impl/compiler_flag.bzl",
    "cc/private/rules_impl/cc_flags_supplier.bzl",
]

_UPSTREAM_LOAD = 'load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain", "use_cpp_toolchain")'

_COMPAT_LOADS = "\n".join([
    'load("@bazel_tools//tools/cpp:toolchain_utils.bzl", "find_cpp_toolchain")',
    'load("//cc/private/rules_impl:old_bazel_compat.bzl", "use_cpp_toolchain")',
])

_COMPAT_FILE = '''"""What Bazel 5 adds to toolchain_utils.bzl, for Bazel 4.2.3."""

def use_cpp_toolchain(mandatory = True):
    # Bazel 4 has no optional toolchains; the argument is accepted and ignored.
    _ignored = mandatory
    return ["@bazel_tools//tools/cpp:toolchain_type"]
'''

def _debian_rules_cc_impl(repository_ctx):
    source = repository_ctx.attr.path
    result = repository_ctx.execute(["cp", "-r", source + "/.", "."])
    if result.return_code != 0:
        fail("could not copy rules_cc from %s (is bazel-rules-cc installed?): %s" % (source, result.stderr))
    for path in _FILES_NEEDING_COMPAT:
        text = repository_ctx.read(path)
        if _UPSTREAM_LOAD not in text:
            fail("%s/%s no longer has the load this rule rewrites; check the packaged rules_cc version" % (source, path))
        repository_ctx.file(path, text.replace(_UPSTREAM_LOAD, _COMPAT_LOADS))
    repository_ctx.file("cc/private/rules_impl/old_bazel_compat.bzl", _COMPAT_FILE)

debian_rules_cc = repository_rule(
    implementation = _debian_rules_cc_impl,
    attrs = {"path": attr.string(default = "/usr/share/bazel/rules/cc")},
    local = True,
)
