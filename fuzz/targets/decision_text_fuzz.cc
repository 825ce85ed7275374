// The decision-list text parsers (decision_io.h) on arbitrary bytes: the
// first byte picks the sparse form or the file form. Whatever the input,
// parsing returns a list or an error, within the limits; and a list that
// parses formats back into text that parses to the same list (the round
// trip every replay line and decision file depends on).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <string_view>
#include <variant>

#include "sim/decision/decision_io.h"

namespace {

[[noreturn]] void fail(const char* what) {
  std::fprintf(stderr, "decision_text_fuzz: %s\n", what);
  std::abort();
}

void sparse_round_trip(std::string_view text) {
  auto parsed = weft::sim::parse_sparse_decisions(text, "input");
  const auto* list = std::get_if<weft::sim::SparseDecisions>(&parsed);
  if (list == nullptr) return;
  if (list->perturbed.size() > weft::sim::kSparseEntriesMax) {
    fail("a sparse list past its entry limit was accepted");
  }
  const std::string again = weft::sim::format_sparse_decisions(*list);
  auto reparsed = weft::sim::parse_sparse_decisions(again, "formatted");
  const auto* second = std::get_if<weft::sim::SparseDecisions>(&reparsed);
  if (second == nullptr) fail("a formatted sparse list does not parse");
  if (!(*second == *list)) fail("a sparse list changed in a round trip");
}

void file_round_trip(std::string_view text) {
  auto parsed = weft::sim::parse_decision_file(text, "input");
  const auto* list = std::get_if<weft::sim::DecisionList>(&parsed);
  if (list == nullptr) return;
  if (list->size() > weft::sim::kDecisionFileCountMax) {
    fail("a decision file past its count limit was accepted");
  }
  const std::string again = weft::sim::format_decision_file(*list);
  auto reparsed = weft::sim::parse_decision_file(again, "formatted");
  const auto* second = std::get_if<weft::sim::DecisionList>(&reparsed);
  if (second == nullptr) fail("a formatted decision file does not parse");
  if (*second != *list) fail("a decision file changed in a round trip");
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data,
                                      std::size_t size) {
  if (size == 0) return 0;
  const std::string_view text(reinterpret_cast<const char*>(data + 1),
                              size - 1);
  if ((data[0] & 1) == 0) {
    sparse_round_trip(text);
  } else {
    file_round_trip(text);
  }
  return 0;
}
