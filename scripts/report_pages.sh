#!/usr/bin/env bash
# Opens the HTML failure reports of three zoo bugs (a task-level lost
# wakeup, a race between simulated threads, a network failure) in headless
# Chromium, as a user's browser would, and checks what the page shows: its
# script ran without a console error, it has lanes for tasks, threads and
# hosts, message arrows between hosts, and the perturbed decision that
# caused the failure. Keeps a screenshot of each page.
#
#   scripts/report_pages.sh [folder]     (default: ci-artifacts/report-pages)
#
# Installs Debian's chromium if it is missing (as root).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-ci-artifacts/report-pages}"
mkdir -p "$out"
out="$(cd "$out" && pwd)"

if ! command -v chromium > /dev/null; then
  if [[ $(id -u) -ne 0 ]]; then
    echo "weft pages: chromium is missing; run as root or apt-get install chromium" >&2
    exit 1
  fi
  echo "weft pages: installing Debian's chromium"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -q > /dev/null
  apt-get install -y -q --no-install-recommends chromium > /dev/null
fi

bazel build //examples:report_pages
rm -f "$out"/weft-*
bazel-bin/examples/report_pages "$out" > "$out/reports.txt"

profile="$(mktemp -d)"
trap 'rm -rf "$profile"' EXIT
# The flags a closed network needs (no background connections to Google).
chrome() {
  timeout 120 chromium --headless --no-sandbox --disable-gpu --disable-quic \
    --no-first-run --disable-background-networking --disable-component-update \
    --disable-sync --user-data-dir="$profile" --enable-logging=stderr --v=0 "$@"
}

fail() {
  echo "weft pages: $*" >&2
  exit 1
}

check() {  # name, then the lane kinds it must have, then "arrows" or ""
  local name="$1" kinds="$2" arrows="$3"
  local page="$out/weft-report_pages.$name.html"
  [[ -f "$page" ]] || fail "no page for $name"
  chrome --dump-dom "file://$page" > "$out/$name.dom.html" 2> "$out/$name.console.txt"
  if grep -E 'CONSOLE.*(Uncaught|Error|error)' "$out/$name.console.txt"; then
    fail "$name: the page logged an error in the console (see $out/$name.console.txt)"
  fi
  grep -q 'data-lanes="[1-9]' "$out/$name.dom.html" ||
    fail "$name: the page's script did not run (no data-lanes on <body>)"
  for kind in $kinds; do
    grep -q "class=\"lane\" data-kind=\"$kind\"" "$out/$name.dom.html" ||
      fail "$name: no $kind lane"
  done
  grep -q 'class="decision perturbed" data-label="' "$out/$name.dom.html" ||
    fail "$name: the perturbed decision is not marked"
  if [[ "$arrows" == arrows ]]; then
    grep -q 'class="arrow message' "$out/$name.dom.html" ||
      fail "$name: no message arrow between hosts"
  fi
  chrome --window-size=1400,1000 --screenshot="$out/$name.png" "file://$page" \
    > /dev/null 2>&1 || fail "$name: no screenshot"
  echo "weft pages: $name: lanes ($kinds), decision marked${arrows:+, message arrows}; screenshot $out/$name.png"
}

check lost_wakeup "task" ""
check register_race "task thread" ""
check backup_ack "task host" arrows
echo "weft pages: 3 report pages checked in headless Chromium; screenshots in $out"
