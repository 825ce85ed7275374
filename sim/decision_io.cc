#include "sim/decision_io.h"

#include <charconv>
#include <fstream>
#include <sstream>

namespace weft::sim {
namespace {

constexpr std::size_t kDecisionsMax = 100'000'000;

std::string kind_names() {
  std::string names;
  for (int i = 0; i < kDecisionKindCount; ++i) {
    if (i > 0) names += ", ";
    names += std::string(to_string(static_cast<DecisionKind>(i)));
  }
  return names;
}

bool parse_u32(std::string_view text, std::uint32_t& out) {
  if (text.empty()) return false;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

bool parse_size(std::string_view text, std::size_t& out) {
  if (text.empty()) return false;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

// Splits on runs of spaces.
std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size()) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

}  // namespace

std::string format_decision_file(const DecisionList& decisions) {
  std::string out =
      "weft-decisions 1\ncount " + std::to_string(decisions.size()) + "\n";
  for (const Decision& d : decisions) {
    out += std::string(to_string(d.kind)) + " " + std::to_string(d.bound) +
           " " + std::to_string(d.value) + "\n";
  }
  return out;
}

std::variant<DecisionList, std::string> parse_decision_file(
    std::string_view text, std::string_view source_name) {
  DecisionList decisions;
  std::size_t line_number = 0;
  std::size_t expected_count = 0;
  bool saw_header = false;
  bool saw_count = false;
  auto error = [&](const std::string& what) {
    return std::string(source_name) + ":" + std::to_string(line_number) + ": " +
           what;
  };
  std::size_t position = 0;
  while (position <= text.size()) {
    std::size_t end = text.find('\n', position);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(position, end - position);
    position = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::vector<std::string_view> parts = words(line);
    if (parts.empty() || parts[0].front() == '#') {
      if (end == text.size()) break;
      continue;
    }
    if (!saw_header) {
      if (parts.size() != 2 || parts[0] != "weft-decisions" ||
          parts[1] != "1") {
        return error("expected the header 'weft-decisions 1', found '" +
                     std::string(line) + "'");
      }
      saw_header = true;
    } else if (!saw_count) {
      if (parts.size() != 2 || parts[0] != "count" ||
          !parse_size(parts[1], expected_count) ||
          expected_count > kDecisionsMax) {
        return error("expected 'count <number of decisions>', found '" +
                     std::string(line) + "'");
      }
      saw_count = true;
      decisions.reserve(expected_count);
    } else {
      std::optional<DecisionKind> kind;
      std::uint32_t bound = 0;
      std::uint32_t value = 0;
      if (parts.size() == 3) kind = decision_kind_from_string(parts[0]);
      if (parts.size() != 3 || !kind || !parse_u32(parts[1], bound) ||
          !parse_u32(parts[2], value)) {
        return error("expected '<kind> <bound> <value>' with kind one of " +
                     kind_names() + ", found '" + std::string(line) + "'");
      }
      if (bound < 2 || value >= bound) {
        return error("value " + std::to_string(value) + " is not below bound " +
                     std::to_string(bound) + " (bounds are at least 2)");
      }
      if (decisions.size() == expected_count) {
        return error("more decisions than the count line says (" +
                     std::to_string(expected_count) + ")");
      }
      decisions.push_back(Decision{*kind, bound, value});
    }
    if (end == text.size()) break;
  }
  if (!saw_header || !saw_count) {
    return std::string(source_name) +
           ": not a decision file (it needs the lines 'weft-decisions 1' and "
           "'count <n>')";
  }
  if (decisions.size() != expected_count) {
    return std::string(source_name) + ": the count line says " +
           std::to_string(expected_count) + " decisions but the file holds " +
           std::to_string(decisions.size()) + " (truncated?)";
  }
  return decisions;
}

std::variant<DecisionList, std::string> read_decision_file(
    const std::string& path) {
  std::ifstream file(path, std::ios::binary);
  if (!file) return "cannot open the decision file '" + path + "'";
  std::ostringstream contents;
  contents << file.rdbuf();
  return parse_decision_file(contents.str(), path);
}

std::string format_sparse_decisions(const DecisionList& decisions) {
  std::string out = std::to_string(decisions.size());
  for (std::size_t i = 0; i < decisions.size(); ++i) {
    const Decision& d = decisions[i];
    if (!d.perturbed()) continue;
    out += ";" + std::to_string(i) + ":" + std::string(to_string(d.kind)) +
           "/" + std::to_string(d.bound) + "=" + std::to_string(d.value);
  }
  return out;
}

std::variant<DecisionList, std::string> parse_sparse_decisions(
    std::string_view text, std::string_view source_name) {
  auto error = [&](std::size_t at, const std::string& what) {
    return std::string(source_name) + ": at character " + std::to_string(at) +
           ": " + what +
           " (the form is '<count>;<index>:<kind>/<bound>=<value>;...')";
  };
  std::size_t semicolon = text.find(';');
  std::string_view count_text = text.substr(0, semicolon);
  std::size_t count = 0;
  if (!parse_size(count_text, count) || count > kDecisionsMax) {
    return error(0, "expected the number of decisions, found '" +
                        std::string(count_text) + "'");
  }
  // Wildcards everywhere, then the listed perturbations.
  DecisionList decisions(count, Decision{DecisionKind::kPickTask, 0, 0});
  std::size_t position = semicolon;
  long previous_index = -1;
  while (position != std::string_view::npos && position < text.size()) {
    const std::size_t start = position + 1;
    const std::size_t next = text.find(';', start);
    const std::string_view entry = text.substr(start, next - start);
    const std::size_t colon = entry.find(':');
    const std::size_t slash = entry.find('/');
    const std::size_t equals = entry.find('=');
    std::size_t index = 0;
    std::uint32_t bound = 0;
    std::uint32_t value = 0;
    std::optional<DecisionKind> kind;
    if (colon != std::string_view::npos && slash != std::string_view::npos &&
        equals != std::string_view::npos && colon < slash && slash < equals) {
      kind =
          decision_kind_from_string(entry.substr(colon + 1, slash - colon - 1));
    }
    if (!kind || !parse_size(entry.substr(0, colon), index) ||
        !parse_u32(entry.substr(slash + 1, equals - slash - 1), bound) ||
        !parse_u32(entry.substr(equals + 1), value)) {
      return error(start,
                   "expected '<index>:<kind>/<bound>=<value>' with kind "
                   "one of " +
                       kind_names() + ", found '" + std::string(entry) + "'");
    }
    if (index >= count || static_cast<long>(index) <= previous_index) {
      return error(start, "index " + std::to_string(index) +
                              " is out of order or not below the count " +
                              std::to_string(count));
    }
    if (bound < 2 || value >= bound || value == 0) {
      return error(start, "value " + std::to_string(value) +
                              " must be non-zero and below bound " +
                              std::to_string(bound));
    }
    decisions[index] = Decision{*kind, bound, value};
    previous_index = static_cast<long>(index);
    position = next;
  }
  return decisions;
}

}  // namespace weft::sim
