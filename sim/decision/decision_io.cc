#include "sim/decision/decision_io.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <charconv>
#include <cstring>
#include <set>

namespace weft::sim {
namespace {

template <typename Number>
bool parse_number(std::string_view text, Number& out) {
  if (text.empty() || text.size() > 20) return false;
  const auto [end, error] =
      std::from_chars(text.data(), text.data() + text.size(), out);
  return error == std::errc() && end == text.data() + text.size();
}

// Splits on runs of spaces and tabs.
std::vector<std::string_view> words(std::string_view line) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < line.size() && out.size() < 8) {
    while (i < line.size() && (line[i] == ' ' || line[i] == '\t')) ++i;
    const std::size_t start = i;
    while (i < line.size() && line[i] != ' ' && line[i] != '\t') ++i;
    if (i > start) out.push_back(line.substr(start, i - start));
  }
  return out;
}

// Shows at most 60 characters of what was found, so a huge bad line does
// not make a huge error message.
std::string quoted(std::string_view text) {
  constexpr std::size_t kShownMax = 60;
  if (text.size() <= kShownMax) return "'" + std::string(text) + "'";
  return "'" + std::string(text.substr(0, kShownMax)) + "...' (" +
         std::to_string(text.size()) + " characters)";
}

std::string format_label(const Decision& decision) {
  std::string out = std::to_string(decision.label.first);
  if (label_parts(decision.kind) == 2) {
    out += "." + std::to_string(decision.label.second);
  }
  return out;
}

}  // namespace

std::string format_decision(const Decision& decision) {
  return std::string(to_string(decision.kind)) + "@" + format_label(decision) +
         "/" + std::to_string(decision.bound) + "=" +
         std::to_string(decision.value);
}

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
  if (text.size() > kDecisionFileBytesMax) {
    return std::string(source_name) + ": larger than the limit of " +
           std::to_string(kDecisionFileBytesMax) + " bytes for a decision file";
  }
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
  while (position < text.size()) {
    std::size_t end = text.find('\n', position);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(position, end - position);
    position = end + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    const std::vector<std::string_view> parts = words(line);
    if (parts.empty() || parts[0].front() == '#') continue;
    if (!saw_header) {
      if (parts.size() != 2 || parts[0] != "weft-decisions" ||
          parts[1] != "1") {
        return error("expected the header 'weft-decisions 1', found " +
                     quoted(line));
      }
      saw_header = true;
    } else if (!saw_count) {
      if (parts.size() != 2 || parts[0] != "count" ||
          !parse_number(parts[1], expected_count)) {
        return error("expected 'count <number of decisions>', found " +
                     quoted(line));
      }
      if (expected_count > kDecisionFileCountMax) {
        return error("count " + std::to_string(expected_count) +
                     " is above the limit of " +
                     std::to_string(kDecisionFileCountMax) +
                     " decisions per file");
      }
      saw_count = true;
      decisions.reserve(expected_count);
    } else {
      std::optional<DecisionKind> kind;
      std::uint32_t bound = 0;
      std::uint32_t value = 0;
      if (parts.size() == 3) kind = decision_kind_from_string(parts[0]);
      if (parts.size() != 3 || !kind || !parse_number(parts[1], bound) ||
          !parse_number(parts[2], value)) {
        return error("expected '<kind> <bound> <value>' with kind one of " +
                     decision_kind_names() + ", found " + quoted(line));
      }
      if (bound < 2 || value >= bound) {
        return error("value " + std::to_string(value) + " is not below bound " +
                     std::to_string(bound) + " (bounds are at least 2)");
      }
      if (decisions.size() == expected_count) {
        return error("more decisions than the count line says (" +
                     std::to_string(expected_count) + ")");
      }
      decisions.push_back(Decision{*kind, bound, value, {}});
    }
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

FileContents read_bounded_file(const std::string& path, std::size_t bytes_max) {
  FileContents result;
  if (path.empty()) {
    result.error = "the file name is empty";
    return result;
  }
  // O_NONBLOCK: opening a FIFO must not wait for a writer.
  const int fd = ::open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC);
  if (fd < 0) {
    result.error =
        "cannot open '" + path + "': " + std::string(std::strerror(errno));
    return result;
  }
  struct stat info {};
  if (::fstat(fd, &info) != 0 || !S_ISREG(info.st_mode)) {
    ::close(fd);
    result.error = "'" + path +
                   "' is not a regular file (a directory, FIFO or device "
                   "cannot hold decisions)";
    return result;
  }
  if (static_cast<std::uint64_t>(info.st_size) > bytes_max) {
    ::close(fd);
    result.error = "'" + path + "' is " + std::to_string(info.st_size) +
                   " bytes, above the limit of " + std::to_string(bytes_max);
    return result;
  }
  result.bytes.resize(static_cast<std::size_t>(info.st_size));
  std::size_t filled = 0;
  // Read one byte past the size seen, to notice a file that grew.
  char extra = 0;
  while (true) {
    char* into = filled < result.bytes.size() ? &result.bytes[filled] : &extra;
    const std::size_t room =
        filled < result.bytes.size() ? result.bytes.size() - filled : 1;
    const ssize_t got = ::read(fd, into, room);
    if (got < 0 && errno == EINTR) continue;
    if (got < 0) {
      result.error =
          "cannot read '" + path + "': " + std::string(std::strerror(errno));
      break;
    }
    if (got == 0) break;
    if (filled >= result.bytes.size()) {
      result.error = "'" + path + "' grew while it was read";
      break;
    }
    filled += static_cast<std::size_t>(got);
  }
  ::close(fd);
  if (result.error.empty()) result.bytes.resize(filled);
  return result;
}

std::variant<DecisionList, std::string> read_decision_file(
    const std::string& path) {
  FileContents file = read_bounded_file(path, kDecisionFileBytesMax);
  if (!file.error.empty()) return "decision file: " + file.error;
  return parse_decision_file(file.bytes, path);
}

std::string format_sparse_decisions(const SparseDecisions& decisions) {
  std::string out =
      decisions.count ? std::to_string(*decisions.count) : std::string("*");
  for (const Decision& d : decisions.perturbed) out += ";" + format_decision(d);
  return out;
}

std::string format_sparse_decisions(const DecisionList& decisions) {
  return format_sparse_decisions(SparseDecisions::of(decisions));
}

std::variant<SparseDecisions, std::string> parse_sparse_decisions(
    std::string_view text, std::string_view source_name) {
  auto error = [&](std::size_t at, const std::string& what) {
    return std::string(source_name) + ": at character " + std::to_string(at) +
           ": " + what +
           " (the form is '<count or *>;<kind>@<label>/<bound>=<value>;...', "
           "as a report prints it)";
  };
  if (text.size() > kSparseTextBytesMax) {
    return std::string(source_name) + ": " + std::to_string(text.size()) +
           " characters, above the limit of " +
           std::to_string(kSparseTextBytesMax);
  }
  while (!text.empty() && (text.front() == ' ' || text.front() == '\t')) {
    text.remove_prefix(1);
  }
  while (!text.empty() && (text.back() == ' ' || text.back() == '\t' ||
                           text.back() == '\n' || text.back() == '\r')) {
    text.remove_suffix(1);
  }
  if (text.empty()) return std::string(source_name) + ": the list is empty";
  SparseDecisions line;
  const std::size_t semicolon = text.find(';');
  const std::string_view count_text = text.substr(0, semicolon);
  if (count_text != "*") {
    std::uint64_t count = 0;
    if (!parse_number(count_text, count)) {
      return error(0, "expected the number of decisions (or *), found " +
                          quoted(count_text));
    }
    if (count > kSparseCountMax) {
      return error(0, "count " + std::to_string(count) +
                          " is above the limit of " +
                          std::to_string(kSparseCountMax));
    }
    line.count = count;
  }
  std::set<std::pair<DecisionKind, DecisionLabel>> seen;
  std::size_t position = semicolon;
  while (position != std::string_view::npos && position < text.size()) {
    const std::size_t start = position + 1;
    const std::size_t next = text.find(';', start);
    const std::string_view entry = text.substr(
        start,
        next == std::string_view::npos ? std::string_view::npos : next - start);
    position = next;
    if (entry.empty()) continue;  // tolerate ";;" and a trailing ';'
    if (line.perturbed.size() == kSparseEntriesMax) {
      return error(
          start, "more than " + std::to_string(kSparseEntriesMax) + " entries");
    }
    const std::size_t at = entry.find('@');
    const std::size_t slash = entry.find('/');
    const std::size_t equals = entry.find('=');
    std::optional<DecisionKind> kind;
    if (at != std::string_view::npos && slash != std::string_view::npos &&
        equals != std::string_view::npos && at < slash && slash < equals) {
      kind = decision_kind_from_string(entry.substr(0, at));
    }
    Decision decision;
    std::string_view label_text;
    if (kind) label_text = entry.substr(at + 1, slash - at - 1);
    const std::size_t dot = label_text.find('.');
    const bool two_parts = kind && label_parts(*kind) == 2;
    bool ok = kind.has_value() && (dot != std::string_view::npos) == two_parts;
    if (ok) {
      ok = parse_number(label_text.substr(0, dot), decision.label.first) &&
           (!two_parts ||
            parse_number(label_text.substr(dot + 1), decision.label.second)) &&
           parse_number(entry.substr(slash + 1, equals - slash - 1),
                        decision.bound) &&
           parse_number(entry.substr(equals + 1), decision.value);
    }
    if (!ok) {
      return error(start,
                   "expected '<kind>@<label>/<bound>=<value>' with kind one "
                   "of " +
                       decision_kind_names() +
                       " (hold, cancel, tie and bug-fire labels have two "
                       "parts, a.b), found " +
                       quoted(entry));
    }
    decision.kind = *kind;
    if (decision.bound < 2 || decision.value == 0 ||
        decision.value >= decision.bound) {
      return error(start, "value " + std::to_string(decision.value) +
                              " must be non-zero and below bound " +
                              std::to_string(decision.bound));
    }
    if (!seen.emplace(decision.kind, decision.label).second) {
      return error(start, "the label of " + quoted(entry) +
                              " appears twice in the list");
    }
    line.perturbed.push_back(decision);
  }
  return line;
}

}  // namespace weft::sim
