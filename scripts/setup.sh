#!/usr/bin/env bash
# Installs the Debian packages weft builds with, if any is missing. Safe to
# run again: when everything is present it installs nothing.
set -euo pipefail

packages=(
  bazel-bootstrap     # Bazel 4.2.3
  bazel-rules-cc      # rules_cc, exposed by bazel/debian_rules_cc.bzl
  bazel-rules-java    # needed by @bazel_tools even for C++ builds
  bazel-platforms
  g++
  clang-14            # libFuzzer builds (--config=fuzz)
  libclang-rt-14-dev  # clang's sanitizer and libFuzzer runtimes
  libgtest-dev
  libgmock-dev
  librapidcheck-dev
  liburing-dev        # io_uring for weft::fs on real files
  libbenchmark-dev
  libasio-dev         # the peer runtime the benchmarks compare against
  nlohmann-json3-dev  # JSON output (the hunt, trace files)
  libcli11-dev        # the hunt's command line
  cmake               # the CMake build (CMakeLists.txt)
  make
  zip                 # seed corpora for the OSS-Fuzz style build
)

missing=()
for package in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$package")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "weft setup: all ${#packages[@]} Debian packages are installed."
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "weft setup: missing packages: ${missing[*]}" >&2
  echo "weft setup: run as root (or: sudo apt-get install ${missing[*]})" >&2
  exit 1
fi

echo "weft setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -q
apt-get install -y -q --no-install-recommends "${missing[@]}"
echo "weft setup: done."
