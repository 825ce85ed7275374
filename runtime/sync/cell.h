// weft::sync::Cell<T>: plain shared memory whose accesses the simulator's
// data-race check sees (loom's UnsafeCell is the model).
//
// Wrap a field that threads share without an atomic, guarded by a mutex
// or by an atomic handshake, and reach it only through read / write /
// with / with_mut. In production they are the plain access. Under the
// simulator each access is checked against the last conflicting one by
// vector clocks: two accesses, at least one a write, not ordered by a
// lock, an acquire/release pair, a spawn, a join or a wake, are a data
// race, reported with both sites. Accesses are not scheduling points.
#pragma once

#include <utility>

#include "runtime/sync/sync_hooks.h"

namespace weft::sync {

template <typename T>
class Cell {
 public:
  Cell() = default;
  explicit Cell(T value) : value_(std::move(value)) {}
  ~Cell() {
    if (SyncHooks* hooks = simulated_sync()) hooks->forget(this);
  }
  Cell(const Cell&) = delete;
  Cell& operator=(const Cell&) = delete;

  T read(SourceLocation site = SourceLocation::current()) const {
    access(false, site);
    return value_;
  }
  void write(T value, SourceLocation site = SourceLocation::current()) {
    access(true, site);
    value_ = std::move(value);
  }
  // Calls `reader(const T&)` as one read.
  template <typename Reader>
  decltype(auto) with(Reader&& reader,
                      SourceLocation site = SourceLocation::current()) const {
    access(false, site);
    return std::forward<Reader>(reader)(value_);
  }
  // Calls `writer(T&)` as one write.
  template <typename Writer>
  decltype(auto) with_mut(Writer&& writer,
                          SourceLocation site = SourceLocation::current()) {
    access(true, site);
    return std::forward<Writer>(writer)(value_);
  }

 private:
  void access(bool write, SourceLocation site) const {
    if (SyncHooks* hooks = interleaving_sync()) [[unlikely]] {
      hooks->on_cell_access(this, write, site);
    }
  }

  T value_{};
};

}  // namespace weft::sync
