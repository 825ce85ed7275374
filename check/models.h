// Sequential models for the linearizability checker (linearizability.h):
// a register, a key-value map (checked key by key), a counter, a FIFO
// queue, a set and a lock (a lease). A model says what a single,
// sequential copy of the object would do:
//
//   struct MyModel {
//     using State = ...;   // equality-comparable
//     using Input = ...;   // an operation and its arguments
//     using Output = ...;  // what the operation returned
//     State init() const;
//     // The state after `input` returned `output` (nullptr: it never
//     // returned, so any output) in `state`, or nullopt if that output is
//     // impossible there.
//     std::optional<State> step(const State&, const Input&,
//                               const Output* output) const;
//     std::size_t hash(const State&) const;
//     std::string describe(const Input&, const Output* output) const;
//     // Optional, for P-compositionality: operations on different keys
//     // are independent, and each key is checked on its own.
//     std::string key(const Input&) const;
//   };
#pragma once

#include <algorithm>
#include <cstdint>
#include <deque>
#include <functional>
#include <optional>
#include <string>
#include <vector>

namespace weft::check {

// A hash of a sequence of numbers (the queue's and the set's states).
template <typename Numbers>
std::size_t hash_numbers(const Numbers& numbers) {
  std::size_t h = numbers.size();
  for (std::int64_t v : numbers)
    h = h * 1000003u ^ std::hash<std::int64_t>{}(v);
  return h;
}

// A read/write register with compare-and-set.
struct RegisterModel {
  enum class Kind : std::uint8_t { kRead, kWrite, kCompareAndSet };
  struct Input {
    Kind kind = Kind::kRead;
    std::int64_t value = 0;     // to write, or the new value of a CAS
    std::int64_t expected = 0;  // a CAS's expected value
  };
  struct Output {
    bool ok = true;          // a CAS that did not match: false
    std::int64_t value = 0;  // what a read returned
  };
  using State = std::int64_t;

  static Input read() { return {Kind::kRead, 0, 0}; }
  static Input write(std::int64_t value) { return {Kind::kWrite, value, 0}; }
  static Input compare_and_set(std::int64_t expected, std::int64_t value) {
    return {Kind::kCompareAndSet, value, expected};
  }
  static Output read_returned(std::int64_t value) { return {true, value}; }
  static Output ok() { return {true, 0}; }
  static Output failed() { return {false, 0}; }

  std::int64_t initial = 0;

  State init() const { return initial; }
  std::optional<State> step(const State& state, const Input& input,
                            const Output* output) const {
    switch (input.kind) {
      case Kind::kRead:
        if (output != nullptr && output->value != state) return std::nullopt;
        return state;
      case Kind::kWrite:
        return input.value;
      case Kind::kCompareAndSet: {
        const bool matches = state == input.expected;
        if (output != nullptr && output->ok != matches) return std::nullopt;
        return matches ? input.value : state;
      }
    }
    return std::nullopt;
  }
  std::size_t hash(const State& state) const {
    return std::hash<std::int64_t>{}(state);
  }
  std::string describe(const Input& input, const Output* output) const {
    switch (input.kind) {
      case Kind::kRead:
        return "read -> " +
               (output != nullptr ? std::to_string(output->value) : "?");
      case Kind::kWrite:
        return "write " + std::to_string(input.value);
      case Kind::kCompareAndSet:
        return "cas " + std::to_string(input.expected) + "->" +
               std::to_string(input.value) +
               (output != nullptr ? (output->ok ? " ok" : " failed") : " ?");
    }
    return "?";
  }
};

// A map from string keys to string values, checked key by key (each key is
// an independent register: P-compositionality).
struct KeyValueModel {
  enum class Kind : std::uint8_t { kGet, kPut, kDelete };
  struct Input {
    Kind kind = Kind::kGet;
    std::string key;
    std::string value;
  };
  struct Output {
    std::optional<std::string> value;  // what a get found
  };
  using State = std::optional<std::string>;  // one key's value

  static Input get(std::string key) { return {Kind::kGet, std::move(key), {}}; }
  static Input put(std::string key, std::string value) {
    return {Kind::kPut, std::move(key), std::move(value)};
  }
  static Input erase(std::string key) {
    return {Kind::kDelete, std::move(key), {}};
  }
  static Output found(std::optional<std::string> value) {
    return {std::move(value)};
  }
  static Output ok() { return {}; }

  State init() const { return std::nullopt; }
  std::optional<State> step(const State& state, const Input& input,
                            const Output* output) const {
    switch (input.kind) {
      case Kind::kGet:
        if (output != nullptr && output->value != state) return std::nullopt;
        return state;
      case Kind::kPut:
        return State(input.value);
      case Kind::kDelete:
        return State();
    }
    return std::nullopt;
  }
  std::size_t hash(const State& state) const {
    return state ? std::hash<std::string>{}(*state) : 0x9e3779b9u;
  }
  std::string key(const Input& input) const { return input.key; }
  std::string describe(const Input& input, const Output* output) const {
    switch (input.kind) {
      case Kind::kGet:
        return "get " + input.key + " -> " +
               (output == nullptr           ? std::string("?")
                : output->value.has_value() ? *output->value
                                            : std::string("(none)"));
      case Kind::kPut:
        return "put " + input.key + "=" + input.value;
      case Kind::kDelete:
        return "delete " + input.key;
    }
    return "?";
  }
};

// A counter that is added to and read.
struct CounterModel {
  struct Input {
    bool read = false;
    std::int64_t amount = 0;
  };
  struct Output {
    std::int64_t value = 0;  // what a read returned
  };
  using State = std::int64_t;

  static Input add(std::int64_t amount) { return {false, amount}; }
  static Input read() { return {true, 0}; }
  static Output read_returned(std::int64_t value) { return {value}; }
  static Output ok() { return {}; }

  State init() const { return 0; }
  std::optional<State> step(const State& state, const Input& input,
                            const Output* output) const {
    if (!input.read) return state + input.amount;
    if (output != nullptr && output->value != state) return std::nullopt;
    return state;
  }
  std::size_t hash(const State& state) const {
    return std::hash<std::int64_t>{}(state);
  }
  std::string describe(const Input& input, const Output* output) const {
    if (!input.read) return "add " + std::to_string(input.amount);
    return "read -> " +
           (output != nullptr ? std::to_string(output->value) : "?");
  }
};

// A FIFO queue of numbers.
struct QueueModel {
  struct Input {
    bool enqueue = true;
    std::int64_t value = 0;
  };
  struct Output {
    std::optional<std::int64_t> value;  // what a dequeue got (none: empty)
  };
  using State = std::deque<std::int64_t>;

  static Input enqueue(std::int64_t value) { return {true, value}; }
  static Input dequeue() { return {false, 0}; }
  static Output got(std::optional<std::int64_t> value) { return {value}; }
  static Output ok() { return {}; }

  State init() const { return {}; }
  std::optional<State> step(const State& state, const Input& input,
                            const Output* output) const {
    State next = state;
    if (input.enqueue) {
      next.push_back(input.value);
      return next;
    }
    std::optional<std::int64_t> front;
    if (!next.empty()) {
      front = next.front();
      next.pop_front();
    }
    if (output != nullptr && output->value != front) return std::nullopt;
    return next;
  }
  std::size_t hash(const State& state) const { return hash_numbers(state); }
  std::string describe(const Input& input, const Output* output) const {
    if (input.enqueue) return "enqueue " + std::to_string(input.value);
    if (output == nullptr) return "dequeue -> ?";
    return "dequeue -> " + (output->value ? std::to_string(*output->value)
                                          : std::string("(empty)"));
  }
};

// A set of numbers.
struct SetModel {
  enum class Kind : std::uint8_t { kAdd, kRemove, kContains };
  struct Input {
    Kind kind = Kind::kContains;
    std::int64_t value = 0;
  };
  struct Output {
    bool result = true;  // contains: found; add/remove: whether it changed
  };
  using State = std::vector<std::int64_t>;  // sorted

  static Input add(std::int64_t value) { return {Kind::kAdd, value}; }
  static Input remove(std::int64_t value) { return {Kind::kRemove, value}; }
  static Input contains(std::int64_t value) { return {Kind::kContains, value}; }
  static Output result(bool value) { return {value}; }

  State init() const { return {}; }
  std::optional<State> step(const State& state, const Input& input,
                            const Output* output) const {
    const auto at = std::lower_bound(state.begin(), state.end(), input.value);
    const bool present = at != state.end() && *at == input.value;
    State next = state;
    bool result = present;
    switch (input.kind) {
      case Kind::kAdd:
        result = !present;
        if (!present)
          next.insert(next.begin() + (at - state.begin()), input.value);
        break;
      case Kind::kRemove:
        if (present) next.erase(next.begin() + (at - state.begin()));
        break;
      case Kind::kContains:
        break;
    }
    if (output != nullptr && output->result != result) return std::nullopt;
    return next;
  }
  std::size_t hash(const State& state) const { return hash_numbers(state); }
  std::string describe(const Input& input, const Output* output) const {
    const char* names[] = {"add ", "remove ", "contains "};
    std::string out =
        names[static_cast<int>(input.kind)] + std::to_string(input.value);
    if (output != nullptr) out += output->result ? " -> true" : " -> false";
    return out;
  }
};

// A lock, or a lease: acquire succeeds only when no one holds it; release
// by the holder frees it.
struct LockModel {
  struct Input {
    bool acquire = true;
    std::uint32_t owner = 0;  // who acquires or releases
  };
  struct Output {
    bool ok = true;
  };
  using State = std::optional<std::uint32_t>;  // the holder

  static Input acquire(std::uint32_t owner) { return {true, owner}; }
  static Input release(std::uint32_t owner) { return {false, owner}; }
  static Output ok() { return {true}; }
  static Output refused() { return {false}; }

  State init() const { return std::nullopt; }
  std::optional<State> step(const State& state, const Input& input,
                            const Output* output) const {
    const bool granted =
        input.acquire ? !state.has_value() : state == State(input.owner);
    if (output != nullptr && output->ok != granted) return std::nullopt;
    if (!granted) return state;
    return input.acquire ? State(input.owner) : State();
  }
  std::size_t hash(const State& state) const {
    return state ? *state + 1u : 0u;
  }
  std::string describe(const Input& input, const Output* output) const {
    std::string out = std::string(input.acquire ? "acquire" : "release") +
                      " by " + std::to_string(input.owner);
    if (output != nullptr) out += output->ok ? " -> ok" : " -> refused";
    return out;
  }
};

}  // namespace weft::check
