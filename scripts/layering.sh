#!/usr/bin/env bash
# Checks the order of weft's packages, as docs/architecture.md writes it in
# its ```layers block (top to bottom): a package may depend only on
# packages on lower lines; packages on one line are peers and may not
# depend on each other; every package with a rule must be listed. One
# `bazel query` gives every direct dependency edge; nothing is built.
#
#   scripts/layering.sh        exits 1 and names each edge that breaks it
set -euo pipefail
cd "$(dirname "$0")/.."

layers="$(awk '/^```layers$/ {inside = 1; next} /^```$/ {inside = 0} inside' docs/architecture.md |
  sed -e 's/#.*//' | awk 'NF')"
[[ -n "$layers" ]] || { echo "weft layering: no \`\`\`layers block in docs/architecture.md" >&2; exit 2; }

edges="$(mktemp)"
trap 'rm -f "$edges"' EXIT
bazel query --noshow_progress --noimplicit_deps --output=graph --nograph:factored \
  'kind(rule, deps(//..., 1))' 2>/dev/null | grep -- ' -> ' > "$edges" || true
[[ -s "$edges" ]] || { echo "weft layering: bazel query gave no dependency edges" >&2; exit 2; }
# Every package with a rule, as an edge to itself, so that one without
# dependencies between packages must be listed too.
bazel query --noshow_progress --output=package 'kind(rule, //...)' 2>/dev/null |
  awk '{print "\"//" $0 ":_\" -> \"//" $0 ":_\""}' >> "$edges"

awk -v layers="$layers" '
  # The package of a label: //a/b:c -> a/b; external labels -> "".
  function package_of(label) {
    gsub(/"/, "", label)
    if (label !~ /^\/\//) return ""
    sub(/^\/\//, "", label)
    sub(/:.*/, "", label)
    return label
  }
  # The line a package is on (1 = top), from the longest matching pattern.
  function level_of(package,    best, best_length, pattern) {
    best = 0; best_length = -1
    for (pattern in level) {
      if (pattern ~ /\/\.\.\.$/) {
        stem = substr(pattern, 1, length(pattern) - 4)
        if ((package == stem || index(package, stem "/") == 1) && length(stem) > best_length) {
          best = level[pattern]; best_length = length(stem); entry[package] = pattern
        }
      } else if (package == pattern && length(pattern) > best_length) {
        best = level[pattern]; best_length = length(pattern); entry[package] = pattern
      }
    }
    return best
  }
  BEGIN {
    count = split(layers, lines, "\n")
    for (i = 1; i <= count; ++i) {
      words = split(lines[i], word, /[ \t]+/)
      for (j = 1; j <= words; ++j) if (word[j] != "") level[word[j]] = i
    }
    bad = 0
  }
  {
    from = package_of($1); to = package_of($3)
    if (from == "" || to == "") next
    if (from == "bazel" || to == "bazel") next
    a = level_of(from); b = level_of(to)
    if (a == 0 && !(from in unlisted)) { unlisted[from] = 1; print "weft layering: package " from " is not in docs/architecture.md'"'"'s layers" > "/dev/stderr"; bad = 1 }
    if (b == 0 && !(to in unlisted)) { unlisted[to] = 1; print "weft layering: package " to " is not in docs/architecture.md'"'"'s layers" > "/dev/stderr"; bad = 1 }
    if (a == 0 || b == 0) next
    if (from == to || entry[from] == entry[to]) next
    checked++
    if (b == a) { print "weft layering: " $1 " -> " $3 ": peers on one line may not depend on each other" > "/dev/stderr"; bad = 1 }
    else if (b < a) { print "weft layering: " $1 " -> " $3 ": " to " is above " from > "/dev/stderr"; bad = 1 }
  }
  END {
    if (bad) exit 1
    printf "weft layering: %d dependencies between packages, all downwards\n", checked
  }
' "$edges"
