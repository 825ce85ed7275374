#!/bin/bash -eu
# Builds weft's fuzz targets the way OSS-Fuzz and ClusterFuzzLite expect:
# with $CXX and $CXXFLAGS (their sanitizer and coverage flags), linked with
# $LIB_FUZZING_ENGINE, into $OUT, each with its seed corpus as
# <target>_seed_corpus.zip. Plain compiler calls, no Bazel, so it runs in
# their base-builder image. fuzz/oss_fuzz_local.sh runs it here.
cd "$(dirname "$0")/.."

targets=(executor_fuzz notify_fuzz mutex_fuzz semaphore_fuzz channel_fuzz
         join_set_fuzz timer_fuzz bug_twins_fuzz thread_pool_fuzz net_fuzz storage_fuzz canary_fuzz
         decision_text_fuzz)
work="${WORK:-$(mktemp -d)}/weft-objects"
mkdir -p "$work" "$OUT"

# Everything a target needs besides its own file: the runtime, the
# simulator (without its GoogleTest glue, and without the heap quarantine,
# which replaces operator new) and the fuzz harness.
# runtime/ and sim/ are trees of packages; every .cc below them is taken.
sources=(fuzz/fuzz_scenario.cc)
while IFS= read -r file; do
  [[ "$file" == sim/gtest/* || "$file" == sim/memory/heap_quarantine.cc ]] ||
    sources+=("$file")
done < <(find runtime sim -name '*.cc' | sort)

# io_uring (weft::fs on real files) where the image has liburing; without
# it the runtime is built with its thread pool only.
uring=()
if [[ -f /usr/include/liburing.h ]]; then
  uring=(-luring)
else
  CXXFLAGS="$CXXFLAGS -DWEFT_NO_IO_URING"
fi

# Compiled as many at a time as there are cores; any failure stops the build.
objects=()
jobs_max="$(nproc 2>/dev/null || echo 2)"
for source in "${sources[@]}"; do
  object="$work/$(echo "$source" | tr '/' '_').o"
  $CXX $CXXFLAGS -std=c++20 -I. -c "$source" -o "$object" &
  objects+=("$object")
  while (( $(jobs -rp | wc -l) >= jobs_max )); do wait -n; done
done
while (( $(jobs -rp | wc -l) > 0 )); do wait -n; done
ar rcs "$work/libweft.a" "${objects[@]}"

for target in "${targets[@]}"; do
  $CXX $CXXFLAGS -std=c++20 -I. "fuzz/targets/$target.cc" "$work/libweft.a" \
      "${uring[@]}" $LIB_FUZZING_ENGINE -o "$OUT/$target"
  if compgen -G "fuzz/corpus/$target/*" > /dev/null; then
    rm -f "$OUT/${target}_seed_corpus.zip"
    zip -q -j "$OUT/${target}_seed_corpus.zip" fuzz/corpus/"$target"/*
  fi
done
echo "weft: built ${#targets[@]} fuzz targets into $OUT"
