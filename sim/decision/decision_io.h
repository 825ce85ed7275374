// Decision lists as text, in two forms:
//
//   a file with every decision, replayed by position (WEFT_REPLAY, written
//   next to a failure's trace):
//     weft-decisions 1
//     count 3
//     pick 3 0
//     hold 5 2
//     cancel 2 0
//
//   a sparse line with only the perturbed decisions, replayed by label
//   (WEFT_DECISIONS, the replay lines of reports; see decision.h):
//     "<count>;<kind>@<label>/<bound>=<value>;..."
//     e.g. "3214;pick@17/3=1;hold@4.2/5=2"
//   <count> is how many decisions the recorded run made (a replay that
//   makes a different number is a replay-mismatch), or '*' for any.
//
// Everything read from outside has a limit, and reading past one is an
// error that names it: file size, decisions per file, the count of a
// sparse line, its length and its entries. A malformed text gives an error
// naming the file (or variable), the line or character, what was expected
// and what was found. Nothing here allocates more than the limits allow.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "sim/decision/decision.h"

namespace weft::sim {

inline constexpr std::size_t kDecisionFileBytesMax = 16u << 20;
inline constexpr std::size_t kDecisionFileCountMax = 1'000'000;
inline constexpr std::size_t kSparseTextBytesMax = 1u << 20;
inline constexpr std::size_t kSparseEntriesMax = 100'000;
inline constexpr std::uint64_t kSparseCountMax = 1'000'000'000;

std::string format_decision_file(const DecisionList& decisions);
std::variant<DecisionList, std::string> parse_decision_file(
    std::string_view text, std::string_view source_name);
// Reads and parses `path`: it must be a regular file within
// kDecisionFileBytesMax (not a directory, FIFO or device).
std::variant<DecisionList, std::string> read_decision_file(
    const std::string& path);

std::string format_sparse_decisions(const SparseDecisions& decisions);
std::string format_sparse_decisions(const DecisionList& decisions);
// The count is nullopt for '*'; entries stay in the order written.
std::variant<SparseDecisions, std::string> parse_sparse_decisions(
    std::string_view text, std::string_view source_name);

// One decision as "<kind>@<label>/<bound>=<value>".
std::string format_decision(const Decision& decision);

// Reads a whole regular file of at most `bytes_max` bytes; on failure
// `error` names the file and what was wrong with it.
struct FileContents {
  std::string bytes;
  std::string error;  // empty when the read worked
};
FileContents read_bounded_file(const std::string& path, std::size_t bytes_max);

}  // namespace weft::sim
