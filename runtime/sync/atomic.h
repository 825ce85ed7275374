// weft::sync::atomic<T>: std::atomic<T> whose every operation is a
// scheduling point under the simulator (see sync_hooks.h).
//
// The interface is std::atomic's (load, store, exchange, compare_exchange,
// fetch_*, operators); each call also takes the caller's source location
// last, defaulted, so a report can say where. Under the simulator the
// newest value still lives in the std::atomic (only one real thread runs
// a simulation, so each operation itself is exact), and the simulator
// keeps the older stores a load may still read under the C++ memory model
// (sim/threads/store_history.h): for a T of at most 8 trivially copyable
// bytes, a relaxed or acquire load may return one of them, by decision.
// The memory orders also decide which accesses the data-race check
// (cell.h) sees as ordered.
//
// Unlike std::atomic, operations are not noexcept: when a failed
// simulation ends, the simulator unwinds its suspended threads by
// throwing from the scheduling point they wait at.
#pragma once

#include <array>
#include <atomic>
#include <bit>
#include <concepts>
#include <cstdint>
#include <cstring>
#include <type_traits>

#include "runtime/sync/sync_hooks.h"

namespace weft::sync {

template <typename T>
class atomic {
  static constexpr std::memory_order kSeqCst = std::memory_order_seq_cst;
  // Whether a load may read an older store under the simulator: the value
  // must travel as 64 bits (sync_hooks.h).
  static constexpr bool kModelled =
      std::is_trivially_copyable_v<T> && sizeof(T) <= sizeof(std::uint64_t);

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
    T loaded = value_.load(order);
    if (hooks != nullptr) [[unlikely]] {
      loaded = read_under_model(hooks, loaded, order, site);
      after(hooks, &loaded, nullptr);
    }
    return loaded;
  }
  void store(T value, std::memory_order order = kSeqCst,
             SourceLocation site = SourceLocation::current()) {
    SyncHooks* hooks = before(AccessKind::kStore, order, site);
    if (hooks != nullptr) [[unlikely]] {
      const T previous = value_.load(std::memory_order_relaxed);
      value_.store(value, order);
      hooks->atomic_written(this, AccessKind::kStore, order, site, true,
                            to_bits(previous), to_bits(value));
      after(hooks, nullptr, &value);
      return;
    }
    value_.store(value, order);
  }
  T exchange(T value, std::memory_order order = kSeqCst,
             SourceLocation site = SourceLocation::current()) {
    SyncHooks* hooks = before(AccessKind::kReadModifyWrite, order, site);
    const T loaded = value_.exchange(value, order);
    if (hooks != nullptr) [[unlikely]]
      read_modified(hooks, order, site, loaded, &value);
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
      read_modified(hooks, order, site, loaded, &stored);
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
      read_modified(hooks, order, site, loaded, &stored);
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
      read_modified(hooks, order, site, loaded, &stored);
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
      read_modified(hooks, order, site, loaded, &stored);
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
      read_modified(hooks, order, site, loaded, &stored);
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
      // A failed exchange is a load (of the newest value) with the failure
      // order.
      read_modified(hooks, swapped ? success : failure, site,
                    swapped ? wanted : expected, swapped ? &desired : nullptr);
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
  // A load's value under the simulator's memory model: the newest one, or
  // an older store the model lets this load read.
  T read_under_model(SyncHooks* hooks, T newest, std::memory_order order,
                     SourceLocation site) const {
    if constexpr (kModelled) {
      std::uint64_t value = to_bits(newest);
      if (hooks->atomic_read(this, order, site, &value)) {
        return from_bits(value);
      }
    } else {
      hooks->atomic_read(this, order, site, nullptr);
    }
    return newest;
  }
  // A read-modify-write done (`stored` nullptr: a compare-exchange that
  // failed, which only read): the memory model's record, then the values.
  void read_modified(SyncHooks* hooks, std::memory_order order,
                     SourceLocation site, const T& loaded,
                     const T* stored) const {
    hooks->atomic_written(this, AccessKind::kReadModifyWrite, order, site,
                          stored != nullptr, to_bits(loaded),
                          stored != nullptr ? to_bits(*stored) : 0);
    after(hooks, &loaded, stored);
  }
  static std::uint64_t to_bits(const T& value) {
    std::uint64_t out = 0;
    if constexpr (kModelled) std::memcpy(&out, &value, sizeof(T));
    return out;
  }
  static T from_bits(std::uint64_t value) requires kModelled {
    std::array<unsigned char, sizeof(T)> bytes;
    std::memcpy(bytes.data(), &value, sizeof(T));
    return std::bit_cast<T>(bytes);
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
