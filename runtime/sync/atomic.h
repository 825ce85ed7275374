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
#include <cstdint>
#include <type_traits>

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
    SyncHooks* hooks = before(AccessKind::kLoad, order, site);
    const T loaded = value_.load(order);
    if (hooks != nullptr) [[unlikely]]
      after(hooks, &loaded, nullptr);
    return loaded;
  }
  void store(T value, std::memory_order order = kSeqCst,
             SourceLocation site = SourceLocation::current()) {
    SyncHooks* hooks = before(AccessKind::kStore, order, site);
    value_.store(value, order);
    if (hooks != nullptr) [[unlikely]]
      after(hooks, nullptr, &value);
  }
  T exchange(T value, std::memory_order order = kSeqCst,
             SourceLocation site = SourceLocation::current()) {
    SyncHooks* hooks = before(AccessKind::kReadModifyWrite, order, site);
    const T loaded = value_.exchange(value, order);
    if (hooks != nullptr) [[unlikely]]
      after(hooks, &loaded, &value);
    return loaded;
  }
  bool compare_exchange_strong(
      T& expected, T desired, std::memory_order success,
      std::memory_order failure,
      SourceLocation site = SourceLocation::current()) {
    return compare_exchange(false, expected, desired, success, failure, site);
  }
  bool compare_exchange_strong(
      T& expected, T desired, std::memory_order order = kSeqCst,
      SourceLocation site = SourceLocation::current()) {
    return compare_exchange(false, expected, desired, order,
                            failure_order(order), site);
  }
  // Never fails spuriously under the simulator (a stronger promise than
  // std's; code that relies on retrying loops is still correct).
  bool compare_exchange_weak(T& expected, T desired, std::memory_order success,
                             std::memory_order failure,
                             SourceLocation site = SourceLocation::current()) {
    return compare_exchange(true, expected, desired, success, failure, site);
  }
  bool compare_exchange_weak(T& expected, T desired,
                             std::memory_order order = kSeqCst,
                             SourceLocation site = SourceLocation::current()) {
    return compare_exchange(true, expected, desired, order,
                            failure_order(order), site);
  }

  T fetch_add(T delta, std::memory_order order = kSeqCst,
              SourceLocation site =
                  SourceLocation::current()) requires std::integral<T> {
    SyncHooks* hooks = before(AccessKind::kReadModifyWrite, order, site);
    const T loaded = value_.fetch_add(delta, order);
    if (hooks != nullptr) [[unlikely]] {
      const T stored = static_cast<T>(loaded + delta);
      after(hooks, &loaded, &stored);
    }
    return loaded;
  }
  T fetch_sub(T delta, std::memory_order order = kSeqCst,
              SourceLocation site =
                  SourceLocation::current()) requires std::integral<T> {
    SyncHooks* hooks = before(AccessKind::kReadModifyWrite, order, site);
    const T loaded = value_.fetch_sub(delta, order);
    if (hooks != nullptr) [[unlikely]] {
      const T stored = static_cast<T>(loaded - delta);
      after(hooks, &loaded, &stored);
    }
    return loaded;
  }
  T fetch_and(T bits, std::memory_order order = kSeqCst,
              SourceLocation site =
                  SourceLocation::current()) requires std::integral<T> {
    SyncHooks* hooks = before(AccessKind::kReadModifyWrite, order, site);
    const T loaded = value_.fetch_and(bits, order);
    if (hooks != nullptr) [[unlikely]] {
      const T stored = static_cast<T>(loaded & bits);
      after(hooks, &loaded, &stored);
    }
    return loaded;
  }
  T fetch_or(T bits, std::memory_order order = kSeqCst,
             SourceLocation site =
                 SourceLocation::current()) requires std::integral<T> {
    SyncHooks* hooks = before(AccessKind::kReadModifyWrite, order, site);
    const T loaded = value_.fetch_or(bits, order);
    if (hooks != nullptr) [[unlikely]] {
      const T stored = static_cast<T>(loaded | bits);
      after(hooks, &loaded, &stored);
    }
    return loaded;
  }
  T fetch_xor(T bits, std::memory_order order = kSeqCst,
              SourceLocation site =
                  SourceLocation::current()) requires std::integral<T> {
    SyncHooks* hooks = before(AccessKind::kReadModifyWrite, order, site);
    const T loaded = value_.fetch_xor(bits, order);
    if (hooks != nullptr) [[unlikely]] {
      const T stored = static_cast<T>(loaded ^ bits);
      after(hooks, &loaded, &stored);
    }
    return loaded;
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
  // The failure order std derives from a single order.
  static constexpr std::memory_order failure_order(std::memory_order order) {
    return order == std::memory_order_acq_rel   ? std::memory_order_acquire
           : order == std::memory_order_release ? std::memory_order_relaxed
                                                : order;
  }
  bool compare_exchange(bool weak, T& expected, T desired,
                        std::memory_order success, std::memory_order failure,
                        SourceLocation site) {
    SyncHooks* hooks = before(AccessKind::kReadModifyWrite, success, site);
    const T wanted = expected;
    const bool swapped =
        weak ? value_.compare_exchange_weak(expected, desired, success, failure)
             : value_.compare_exchange_strong(expected, desired, success,
                                              failure);
    if (hooks != nullptr) [[unlikely]] {
      after(hooks, swapped ? &wanted : &expected, swapped ? &desired : nullptr);
    }
    return swapped;
  }
  // The hooks when threads interleave (after the scheduling point), or
  // nullptr: production, or a simulation with no thread started.
  SyncHooks* before(AccessKind kind, std::memory_order order,
                    SourceLocation site) const {
    SyncHooks* hooks = interleaving_sync();
    if (hooks != nullptr) [[unlikely]] {
      hooks->on_atomic(this, kind, order, site);
    }
    return hooks;
  }
  // Tells a simulation that wants them the values read and written, when
  // T is a number or an enum (a pointer's value would differ from one
  // process to the next, so a report never shows it).
  void after(SyncHooks* hooks, const T* loaded, const T* stored) const {
    if constexpr (std::is_integral_v<T> || std::is_enum_v<T>) {
      if (!hooks->values_wanted()) return;
      hooks->atomic_values(this, std::is_signed_v<T>, loaded != nullptr,
                           bits(loaded), stored != nullptr, bits(stored));
    }
  }
  static std::uint64_t bits(const T* value) {
    if (value == nullptr) return 0;
    if constexpr (std::is_enum_v<T>) {
      return static_cast<std::uint64_t>(
          static_cast<std::underlying_type_t<T>>(*value));
    } else {
      return static_cast<std::uint64_t>(*value);
    }
  }

  std::atomic<T> value_;
};

}  // namespace weft::sync
