"""Wires a library installed by a Debian package into Bazel as a cc_library.

The repository holds symlinks to the package's header folders and library
files, so nothing is downloaded or copied into the source tree. Headers are
added with -isystem, which keeps third-party warnings out of -Werror.
"""

_LIB_DIR = "/usr/lib/x86_64-linux-gnu"

def _system_library_impl(repository_ctx):
    for include in repository_ctx.attr.include_paths:
        source = repository_ctx.path(include)
        if not source.exists:
            fail("%s is missing: install the Debian package %s" % (include, repository_ctx.attr.package))
        repository_ctx.symlink(source, "include/" + source.basename)
    archives = []
    for archive in repository_ctx.attr.libs:
        source = repository_ctx.path(_LIB_DIR + "/" + archive)
        if not source.exists:
            fail("%s is missing: install the Debian package %s" % (source, repository_ctx.attr.package))
        repository_ctx.symlink(source, "lib/" + archive)
        archives.append("lib/" + archive)
    repository_ctx.file("BUILD.bazel", """\
load("@rules_cc//cc:defs.bzl", "cc_library")

cc_library(
    name = "{name}",
    srcs = {archives},
    hdrs = glob(["include/**"]),
    includes = ["include"],
    linkopts = {linkopts},
    deps = {deps},
    visibility = ["//visibility:public"],
)
""".format(
        name = repository_ctx.attr.target,
        archives = repr(archives),
        linkopts = repr(repository_ctx.attr.linkopts),
        deps = repr(repository_ctx.attr.deps),
    ))

system_library = repository_rule(
    implementation = _system_library_impl,
    attrs = {
        "package": attr.string(mandatory = True, doc = "Debian package that installs the files"),
        "target": attr.string(mandatory = True, doc = "name of the cc_library in the repository"),
        "include_paths": attr.string_list(doc = "absolute header files or folders to expose"),
        "libs": attr.string_list(doc = "static or shared library names under /usr/lib/x86_64-linux-gnu"),
        "linkopts": attr.string_list(),
        "deps": attr.string_list(doc = "labels of other system libraries this one needs"),
    },
    local = True,
)
