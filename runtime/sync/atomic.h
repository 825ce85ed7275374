// weft::sync::atomic<T>: std::atomic<T> whose every operation is a
// scheduling point under the simulator (see sync_hooks.h).
//
// The interface is std::atomic's (load, store, exchange, compare_exchange,
// fetch_*, operators); each call also takes the caller's source location
// last, defaulted, so a report can say where. Under the simulator the
// value still lives in the std::atomic: only one real thread runs a
// simulation, so the operation itself is exact; the memory orders decide
// which accesses the data-race check (cell.h) sees as ordered.
//
// Unlike std::atomic, operations are not noexcept: when a failed
// simulation ends, the simulator unwinds its suspended threads by
// throwing from the scheduling point they wait at.
#pragma once

#include <atomic>
#include <concepts>

#include "runtime/sync/sync_hooks.h"

namespace weft::sync {

template <typename T>
class atomic {
  static constexpr std::memory_order kSeqCst = std::memory_order_seq_cst;

 public:
  atomic() noexcept = default;
  constexpr atomic(T value) noexcept : value_(value) {}  // NOLINT: as std
  ~atomic() {
    if (SyncHooks* hooks = simulated_sync()) hooks->forget(this);
  }
  atomic(const atomic&) = delete;
  atomic& operator=(const atomic&) = delete;

  T load(std::memory_order order = kSeqCst,
         SourceLocation site = SourceLocation::current()) const {
    before(AccessKind::kLoad, order, site);
    return value_.load(order);
  }
  void store(T value, std::memory_order order = kSeqCst,
             SourceLocation site = SourceLocation::current()) {
    before(AccessKind::kStore, order, site);
    value_.store(value, order);
  }
  T exchange(T value, std::memory_order order = kSeqCst,
             SourceLocation site = SourceLocation::current()) {
    before(AccessKind::kReadModifyWrite, order, site);
    return value_.exchange(value, order);
  }
  bool compare_exchange_strong(
      T& expected, T desired, std::memory_order success,
      std::memory_order failure,
      SourceLocation site = SourceLocation::current()) {
    before(AccessKind::kReadModifyWrite, success, site);
    return value_.compare_exchange_strong(expected, desired, success, failure);
  }
  bool compare_exchange_strong(
      T& expected, T desired, std::memory_order order = kSeqCst,
      SourceLocation site = SourceLocation::current()) {
    before(AccessKind::kReadModifyWrite, order, site);
    return value_.compare_exchange_strong(expected, desired, order);
  }
  // Never fails spuriously under the simulator (a stronger promise than
  // std's; code that relies on retrying loops is still correct).
  bool compare_exchange_weak(T& expected, T desired, std::memory_order success,
                             std::memory_order failure,
                             SourceLocation site = SourceLocation::current()) {
    before(AccessKind::kReadModifyWrite, success, site);
    return value_.compare_exchange_weak(expected, desired, success, failure);
  }
  bool compare_exchange_weak(T& expected, T desired,
                             std::memory_order order = kSeqCst,
                             SourceLocation site = SourceLocation::current()) {
    before(AccessKind::kReadModifyWrite, order, site);
    return value_.compare_exchange_weak(expected, desired, order);
  }

  T fetch_add(T delta, std::memory_order order = kSeqCst,
              SourceLocation site =
                  SourceLocation::current()) requires std::integral<T> {
    before(AccessKind::kReadModifyWrite, order, site);
    return value_.fetch_add(delta, order);
  }
  T fetch_sub(T delta, std::memory_order order = kSeqCst,
              SourceLocation site =
                  SourceLocation::current()) requires std::integral<T> {
    before(AccessKind::kReadModifyWrite, order, site);
    return value_.fetch_sub(delta, order);
  }
  T fetch_and(T bits, std::memory_order order = kSeqCst,
              SourceLocation site =
                  SourceLocation::current()) requires std::integral<T> {
    before(AccessKind::kReadModifyWrite, order, site);
    return value_.fetch_and(bits, order);
  }
  T fetch_or(T bits, std::memory_order order = kSeqCst,
             SourceLocation site =
                 SourceLocation::current()) requires std::integral<T> {
    before(AccessKind::kReadModifyWrite, order, site);
    return value_.fetch_or(bits, order);
  }
  T fetch_xor(T bits, std::memory_order order = kSeqCst,
              SourceLocation site =
                  SourceLocation::current()) requires std::integral<T> {
    before(AccessKind::kReadModifyWrite, order, site);
    return value_.fetch_xor(bits, order);
  }

  operator T() const { return load(); }  // NOLINT: as std
  T operator=(T value) {
    store(value);
    return value;
  }
  T operator++() requires std::integral<T> { return fetch_add(1) + 1; }
  T operator++(int) requires std::integral<T> { return fetch_add(1); }
  T operator--() requires std::integral<T> { return fetch_sub(1) - 1; }
  T operator--(int) requires std::integral<T> { return fetch_sub(1); }
  T operator+=(T delta) requires std::integral<T> {
    return fetch_add(delta) + delta;
  }
  T operator-=(T delta) requires std::integral<T> {
    return fetch_sub(delta) - delta;
  }

 private:
  void before(AccessKind kind, std::memory_order order,
              SourceLocation site) const {
    if (SyncHooks* hooks = interleaving_sync()) [[unlikely]] {
      hooks->on_atomic(this, kind, order, site);
    }
  }

  std::atomic<T> value_;
};

}  // namespace weft::sync
