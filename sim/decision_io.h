// Decision lists as text, in two forms:
//
//   a file, with every decision (written on failure, read by WEFT_REPLAY):
//     weft-decisions 1
//     count 3
//     pick 3 0
//     hold 5 2
//     cancel 2 0
//
//   a sparse line naming only the perturbed decisions (short enough for a
//   command line, read by WEFT_DECISIONS): "<count>" then
//   ";<index>:<kind>/<bound>=<value>" for each non-zero one, e.g.
//     "3214;17:pick/3=1;240:hold/5=2"
//   Unlisted positions replay as 0 (see ReplaySource's wildcards).
//
// Reading a malformed text returns an error that names the file (or
// variable), the line or character, what was expected and what was found.
#pragma once

#include <string>
#include <string_view>
#include <variant>

#include "sim/decision.h"

namespace weft::sim {

std::string format_decision_file(const DecisionList& decisions);
std::variant<DecisionList, std::string> parse_decision_file(
    std::string_view text, std::string_view source_name);
// Reads and parses `path`; a missing file is an error too.
std::variant<DecisionList, std::string> read_decision_file(
    const std::string& path);

std::string format_sparse_decisions(const DecisionList& decisions);
std::variant<DecisionList, std::string> parse_sparse_decisions(
    std::string_view text, std::string_view source_name);

}  // namespace weft::sim
