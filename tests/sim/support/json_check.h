// A small strict JSON well-formedness check, so tests can show that the
// trace files weft writes parse (objects, arrays, strings with escapes,
// numbers, true/false/null).
#pragma once

#include <cctype>
#include <cstddef>
#include <string_view>

namespace weft::sim::testing {

class JsonCheck {
 public:
  // True when `text` is exactly one JSON value (with surrounding space).
  static bool valid(std::string_view text) {
    JsonCheck check(text);
    check.space();
    if (!check.value(0)) return false;
    check.space();
    return check.at_ == text.size();
  }

 private:
  static constexpr int kDepthMax = 64;
  explicit JsonCheck(std::string_view text) : text_(text) {}

  bool more() const { return at_ < text_.size(); }
  char peek() const { return more() ? text_[at_] : '\0'; }
  void space() {
    while (more() && std::isspace(static_cast<unsigned char>(peek()))) ++at_;
  }
  bool eat(char c) {
    if (peek() != c) return false;
    ++at_;
    return true;
  }
  bool literal(std::string_view word) {
    if (text_.substr(at_, word.size()) != word) return false;
    at_ += word.size();
    return true;
  }
  bool value(int depth) {
    if (depth > kDepthMax) return false;
    switch (peek()) {
      case '{':
        return object(depth);
      case '[':
        return array(depth);
      case '"':
        return string();
      case 't':
        return literal("true");
      case 'f':
        return literal("false");
      case 'n':
        return literal("null");
      default:
        return number();
    }
  }
  bool object(int depth) {
    eat('{');
    space();
    if (eat('}')) return true;
    while (true) {
      space();
      if (!string()) return false;
      space();
      if (!eat(':')) return false;
      space();
      if (!value(depth + 1)) return false;
      space();
      if (eat('}')) return true;
      if (!eat(',')) return false;
    }
  }
  bool array(int depth) {
    eat('[');
    space();
    if (eat(']')) return true;
    while (true) {
      space();
      if (!value(depth + 1)) return false;
      space();
      if (eat(']')) return true;
      if (!eat(',')) return false;
    }
  }
  bool string() {
    if (!eat('"')) return false;
    while (more()) {
      const char c = text_[at_++];
      if (c == '"') return true;
      if (static_cast<unsigned char>(c) < 0x20) return false;
      if (c == '\\') {
        if (!more()) return false;
        const char e = text_[at_++];
        if (e == 'u') {
          for (int i = 0; i < 4; ++i) {
            if (!more() || !std::isxdigit(static_cast<unsigned char>(peek()))) {
              return false;
            }
            ++at_;
          }
        } else if (std::string_view("\"\\/bfnrt").find(e) ==
                   std::string_view::npos) {
          return false;
        }
      }
    }
    return false;
  }
  bool number() {
    const std::size_t start = at_;
    eat('-');
    if (!std::isdigit(static_cast<unsigned char>(peek()))) return false;
    while (std::isdigit(static_cast<unsigned char>(peek()))) ++at_;
    if (eat('.')) {
      if (!std::isdigit(static_cast<unsigned char>(peek()))) return false;
      while (std::isdigit(static_cast<unsigned char>(peek()))) ++at_;
    }
    if (peek() == 'e' || peek() == 'E') {
      ++at_;
      if (peek() == '+' || peek() == '-') ++at_;
      if (!std::isdigit(static_cast<unsigned char>(peek()))) return false;
      while (std::isdigit(static_cast<unsigned char>(peek()))) ++at_;
    }
    return at_ > start;
  }

  std::string_view text_;
  std::size_t at_ = 0;
};

}  // namespace weft::sim::testing
