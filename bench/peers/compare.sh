#!/usr/bin/env bash
# weft next to its peers, measured in one sitting: builds weft's benchmarks
# (-c opt) and the Rust peers (tokio current_thread, futures LocalPool; from
# Debian's packaged crates, offline), runs them interleaved for several
# rounds, and prints one Markdown table of medians, ratios and the goals of
# bench/README.md. Not part of the test suite.
#
#   bench/peers/compare.sh [rounds]      rounds: 1 to 20 (default 3)
set -euo pipefail
cd "$(dirname "$0")/../.."

rounds="${1:-3}"
if ! [[ "$rounds" =~ ^[0-9]+$ ]] || (( rounds < 1 || rounds > 20 )); then
  echo "compare.sh: rounds must be a whole number from 1 to 20, not '$rounds'" >&2
  exit 2
fi

# Debian's cargo and crates (a rustup toolchain elsewhere on PATH would
# not read Debian's registry the same way).
cargo=/usr/bin/cargo
if [[ ! -x "$cargo" || ! -d /usr/share/cargo/registry/tokio-1.24.2 ]]; then
  echo "compare.sh: installing Debian's cargo, tokio and futures" >&2
  apt-get install -y -q cargo librust-tokio-dev librust-futures-dev >/dev/null
fi

scripts/setup.sh
weft_targets=(//bench:peer_shapes //bench:sim_bench //bench:thread_pool_bench
              //bench:parallel_sweep_bench)
bazel build -c opt "${weft_targets[@]}"
bin="$(bazel info -c opt bazel-bin 2>/dev/null)"
(cd bench/peers && "$cargo" build --release --offline --quiet)
peers=bench/peers/target/release/weft-peers

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for round in $(seq 1 "$rounds"); do
  echo "compare.sh: round $round of $rounds" >&2
  "$bin/bench/peer_shapes" --benchmark_format=json >"$out/weft-$round.json" 2>/dev/null
  "$peers" >"$out/peers-$round.txt"
  "$bin/bench/sim_bench" --benchmark_format=json \
    --benchmark_filter='BM_LocalExecutorRing|BM_SimRingRandom|BM_SimSchedules|BM_SimStepCost' \
    >"$out/sim-$round.json" 2>/dev/null
  "$bin/bench/thread_pool_bench" --benchmark_format=json \
    >"$out/pool-$round.json" 2>/dev/null
  "$bin/bench/parallel_sweep_bench" --benchmark_format=json \
    >"$out/sweep-$round.json" 2>/dev/null
done

machine="$(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//')"
versions="g++ $(g++ -dumpfullversion), $(/usr/bin/rustc --version | cut -d' ' -f1-2), tokio $(grep -A1 'name = "tokio"' bench/peers/Cargo.lock | sed -n 's/version = "\(.*\)"/\1/p'), futures $(grep -A1 'name = "futures"' bench/peers/Cargo.lock | sed -n 's/version = "\(.*\)"/\1/p')"
python3 bench/peers/table.py "$out" "$rounds" "$(date -u +%Y-%m-%d)" "$machine" "$versions"
