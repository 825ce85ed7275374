// weft::sync::UniqueFunction: a move-only void() callable, what a
// simulated thread runs. std::function needs a copyable target, and
// std::thread takes move-only ones (a lambda that owns a unique_ptr), so
// weft::sync::thread must too (std::move_only_function is C++23).
#pragma once

#include <memory>
#include <type_traits>
#include <utility>

namespace weft::sync {

class UniqueFunction {
 public:
  UniqueFunction() noexcept = default;
  template <typename F>
  requires(!std::is_same_v<std::decay_t<F>, UniqueFunction> &&
           std::is_invocable_v<std::decay_t<F>&>)
      UniqueFunction(F&& function)  // NOLINT: implicit, as std::function is
      : callable_(std::make_unique<Holder<std::decay_t<F>>>(
            std::forward<F>(function))) {}
  UniqueFunction(UniqueFunction&&) noexcept = default;
  UniqueFunction& operator=(UniqueFunction&&) noexcept = default;

  void operator()() { callable_->call(); }
  explicit operator bool() const noexcept { return callable_ != nullptr; }
  UniqueFunction& operator=(std::nullptr_t) noexcept {
    callable_.reset();
    return *this;
  }

 private:
  struct Callable {
    virtual ~Callable() = default;
    virtual void call() = 0;
  };
  template <typename F>
  struct Holder final : Callable {
    explicit Holder(F&& f) : function(std::move(f)) {}
    explicit Holder(const F& f) : function(f) {}
    void call() override { (void)function(); }
    F function;
  };

  std::unique_ptr<Callable> callable_;
};

}  // namespace weft::sync
