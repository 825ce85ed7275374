// weft::value_text(value): a value as text for assertion messages, in the
// style of GoogleTest's printers (the runtime cannot depend on GoogleTest):
// numbers and bools as themselves, characters and strings quoted, enums by
// their number, pointers in hex, anything with an operator<< through it,
// containers as "{ 1, 2, 3 }" (at most 32 elements), pairs and tuples as
// "(a, b)", optionals as "(nullopt)" or "(value)", and anything else as its
// bytes.
#pragma once

#include <cstddef>
#include <cstdio>
#include <iterator>
#include <optional>
#include <ostream>
#include <sstream>
#include <string>
#include <string_view>
#include <tuple>
#include <type_traits>
#include <utility>

namespace weft {

template <typename T>
std::string value_text(const T& value);

namespace value_text_detail {

template <typename T>
concept Streamable = requires(std::ostream& out, const T& value) {
  { out << value } -> std::convertible_to<std::ostream&>;
};

template <typename T>
concept Range = requires(const T& value) {
  std::begin(value);
  std::end(value);
};

template <typename T>
struct IsOptional : std::false_type {};
template <typename T>
struct IsOptional<std::optional<T>> : std::true_type {};

template <typename T>
concept TupleLike = requires {
  std::tuple_size<T>::value;
}
&&!Range<T>;

inline std::string quoted(std::string_view text) {
  std::string out = "\"";
  for (const char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    if (c == '"' || c == '\\') {
      out += '\\';
      out += c;
    } else if (c == '\n') {
      out += "\\n";
    } else if (byte < 0x20 || byte == 0x7f) {
      char escaped[8];
      std::snprintf(escaped, sizeof escaped, "\\x%02X", byte);
      out += escaped;
    } else {
      out += c;
    }
  }
  return out + "\"";
}

inline std::string bytes_of(const void* data, std::size_t size) {
  std::string out = "<" + std::to_string(size) + "-byte object <";
  const auto* bytes = static_cast<const unsigned char*>(data);
  for (std::size_t i = 0; i < size && i < 32; ++i) {
    char hex[4];
    std::snprintf(hex, sizeof hex, "%02X", bytes[i]);
    if (i > 0) out += ' ';
    out += hex;
  }
  if (size > 32) out += " ...";
  return out + ">>";
}

template <typename Tuple, std::size_t... I>
std::string tuple_text(const Tuple& value, std::index_sequence<I...>) {
  std::string out = "(";
  ((out += (I == 0 ? "" : ", ") + value_text(std::get<I>(value))), ...);
  return out + ")";
}

}  // namespace value_text_detail

template <typename T>
std::string value_text(const T& value) {
  namespace d = value_text_detail;
  if constexpr (std::is_same_v<T, bool>) {
    return value ? "true" : "false";
  } else if constexpr (std::is_same_v<T, char>) {
    return "'" + std::string(1, value) + "'";
  } else if constexpr (std::is_arithmetic_v<T>) {
    std::ostringstream out;
    out << +value;
    return out.str();
  } else if constexpr (std::is_enum_v<T>) {
    return std::to_string(static_cast<long long>(value));
  } else if constexpr (std::is_same_v<T, std::nullptr_t>) {
    return "(nullptr)";
  } else if constexpr (std::is_convertible_v<const T&, std::string_view>) {
    return d::quoted(std::string_view(value));
  } else if constexpr (std::is_pointer_v<T>) {
    if (value == nullptr) return "NULL";
    char text[32];
    std::snprintf(text, sizeof text, "%p", static_cast<const void*>(value));
    return text;
  } else if constexpr (d::IsOptional<T>::value) {
    return value ? "(" + value_text(*value) + ")" : "(nullopt)";
  } else if constexpr (d::Streamable<T>) {
    std::ostringstream out;
    out << value;
    return out.str();
  } else if constexpr (d::Range<T>) {
    std::string out = "{";
    std::size_t count = 0;
    for (const auto& element : value) {
      if (count == 32) {
        out += ", ...";
        break;
      }
      out += (count == 0 ? " " : ", ") + value_text(element);
      ++count;
    }
    return out + (count == 0 ? "}" : " }");
  } else if constexpr (d::TupleLike<T>) {
    return d::tuple_text(value,
                         std::make_index_sequence<std::tuple_size_v<T>>{});
  } else {
    return d::bytes_of(&value, sizeof value);
  }
}

// "expression is value", or just the expression when it is its own value
// (a literal): "count is 4", "3".
inline std::string expression_is(std::string_view expression,
                                 const std::string& value) {
  if (expression == value) return value;
  return std::string(expression) + " is " + value;
}

}  // namespace weft
