// The search at the heart of the linearizability checker: the algorithm of
// Wing and Gong ("Testing and verifying concurrent objects", 1993), with
// the memoisation of Lowe ("Testing for linearizability", 2017) that
// Porcupine and Knossos also use.
//
// Calls and returns are one list, in the order they happened. The search
// walks it: at a call it tries to linearize that operation now (the model
// accepts its output from the current state, and this set of linearized
// operations with this state was not tried before), removing its call and
// return from the list and remembering how to undo it; at a return of an
// operation not yet linearized it backtracks, since that operation must
// take effect before it returns. All operations linearized: linearizable.
// Nothing left to undo at such a return: not linearizable. An operation
// that never returned has its return at the end, so it may be linearized
// anywhere after its call, or never. A limit on the steps ends the search
// as inconclusive, never as a pass.
#pragma once

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <limits>
#include <optional>
#include <unordered_set>
#include <vector>

#include "check/history.h"

namespace weft::check::detail {

enum class SearchVerdict : std::uint8_t {
  kLinearizable,
  kNotLinearizable,
  kInconclusive,
};

struct SearchResult {
  SearchVerdict verdict = SearchVerdict::kLinearizable;
  std::uint64_t steps = 0;
};

template <typename Model>
class Search {
 public:
  using Op = Operation<typename Model::Input, typename Model::Output>;

  Search(const Model& model, const std::vector<const Op*>& ops)
      : model_(model), ops_(ops), words_((ops.size() + 63) / 64) {
    build_list();
  }

  SearchResult run(std::uint64_t steps_max) {
    SearchResult result;
    typename Model::State state = model_.init();
    std::vector<std::uint64_t> linearized(words_, 0);
    struct Undo {
      int entry;
      typename Model::State state;
    };
    std::vector<Undo> stack;
    int entry = head_next();
    while (entry != kEnd) {
      if (++result.steps > steps_max) {
        result.verdict = SearchVerdict::kInconclusive;
        return result;
      }
      const Entry& e = entries_[entry];
      if (e.call) {
        const Op& op = *ops_[e.op];
        const typename Model::Output* output =
            op.output.has_value() ? &*op.output : nullptr;
        std::optional<typename Model::State> next =
            model_.step(state, op.input, output);
        bool tried = true;
        if (next) {
          linearized[e.op / 64] |= std::uint64_t{1} << (e.op % 64);
          tried = !seen_.insert(Key{linearized, *next, &model_}).second;
          if (tried)
            linearized[e.op / 64] &= ~(std::uint64_t{1} << (e.op % 64));
        }
        if (!tried) {
          stack.push_back(Undo{entry, state});
          state = std::move(*next);
          lift(entry);
          entry = head_next();
        } else {
          entry = e.next;
        }
        continue;
      }
      // A return: everything before it is linearized or it was not, so an
      // operation that never returned ends the search here, successfully.
      if (!ops_[e.op]->completed()) return result;
      if (stack.empty()) {
        result.verdict = SearchVerdict::kNotLinearizable;
        return result;
      }
      Undo undo = std::move(stack.back());
      stack.pop_back();
      const std::size_t op = entries_[undo.entry].op;
      linearized[op / 64] &= ~(std::uint64_t{1} << (op % 64));
      state = std::move(undo.state);
      unlift(undo.entry);
      entry = entries_[undo.entry].next;
    }
    return result;
  }

 private:
  static constexpr int kEnd = -1;
  static constexpr int kHead = 0;  // a sentinel before the first entry

  struct Entry {
    bool call = false;
    std::size_t op = 0;
    int match = kEnd;  // a call's return, a return's call
    int prev = kEnd;
    int next = kEnd;
  };

  struct Key {
    std::vector<std::uint64_t> linearized;
    typename Model::State state;
    const Model* model;
    bool operator==(const Key& other) const {
      return linearized == other.linearized && state == other.state;
    }
  };
  struct KeyHash {
    std::size_t operator()(const Key& key) const {
      std::size_t h = key.model->hash(key.state);
      for (std::uint64_t word : key.linearized) {
        h ^= std::hash<std::uint64_t>{}(word) + 0x9e3779b97f4a7c15ULL +
             (h << 6) + (h >> 2);
      }
      return h;
    }
  };

  int head_next() const { return entries_[kHead].next; }

  void build_list() {
    struct Event {
      std::uint64_t order;
      bool call;
      std::size_t op;
    };
    std::vector<Event> events;
    events.reserve(ops_.size() * 2);
    constexpr std::uint64_t kNever = std::numeric_limits<std::uint64_t>::max();
    for (std::size_t i = 0; i < ops_.size(); ++i) {
      events.push_back({ops_[i]->called, true, i});
      events.push_back(
          {ops_[i]->completed() ? ops_[i]->returned : kNever, false, i});
    }
    std::stable_sort(
        events.begin(), events.end(),
        [](const Event& a, const Event& b) { return a.order < b.order; });
    entries_.assign(events.size() + 1, Entry{});
    std::vector<int> call_of(ops_.size(), kEnd);
    for (std::size_t i = 0; i < events.size(); ++i) {
      const int index = static_cast<int>(i) + 1;
      Entry& entry = entries_[index];
      entry.call = events[i].call;
      entry.op = events[i].op;
      entry.prev = index - 1;
      entry.next = i + 1 < events.size() ? index + 1 : kEnd;
      if (entry.call) {
        call_of[entry.op] = index;
      } else {
        entry.match = call_of[entry.op];
        entries_[call_of[entry.op]].match = index;
      }
    }
    entries_[kHead].next = events.empty() ? kEnd : 1;
  }

  void unlink(int index) {
    Entry& entry = entries_[index];
    entries_[entry.prev].next = entry.next;
    if (entry.next != kEnd) entries_[entry.next].prev = entry.prev;
  }
  void relink(int index) {
    Entry& entry = entries_[index];
    entries_[entry.prev].next = index;
    if (entry.next != kEnd) entries_[entry.next].prev = index;
  }
  // Takes a call and its return out of the list (dancing links: both keep
  // their neighbours, so unlift puts them back in place).
  void lift(int call) {
    unlink(call);
    unlink(entries_[call].match);
  }
  void unlift(int call) {
    relink(entries_[call].match);
    relink(call);
  }

  const Model& model_;
  const std::vector<const Op*>& ops_;
  std::size_t words_;
  std::vector<Entry> entries_;
  std::unordered_set<Key, KeyHash> seen_;
};

}  // namespace weft::check::detail
