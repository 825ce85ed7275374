// weft::check::History: the operations clients of a concurrent or
// distributed system saw, for a linearizability check (linearizability.h).
// Each operation is invoked by a client and, unless the client crashed or
// gave up, completed with an output; an operation that never completed may
// have taken effect at any time after its call, or never.
//
//   History<RegisterModel> history;
//   auto op = history.invoke(client, RegisterModel::write(3));
//   ...
//   history.complete(op, RegisterModel::ok());
//
// Events are ordered by the order they were recorded (one history is
// recorded by one executor's tasks, or under a lock), not by their times:
// two events at the same virtual instant still have an order. Times are
// kept to show the history to a person.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "runtime/seam/misuse.h"
#include "runtime/task/clock.h"

namespace weft::check {

using ClientId = std::uint32_t;
using OperationId = std::size_t;

template <typename Input, typename Output>
struct Operation {
  ClientId client = 0;
  Input input{};
  std::optional<Output> output;  // none: never completed
  std::uint64_t called = 0;      // order of its call among all events
  std::uint64_t returned = 0;    // order of its return (when completed)
  Instant called_at;
  Instant returned_at;
  bool completed() const noexcept { return output.has_value(); }
};

template <typename Model>
class History {
 public:
  using Input = typename Model::Input;
  using Output = typename Model::Output;
  using Op = Operation<Input, Output>;

  // Records the call of an operation; `at` is shown in reports.
  OperationId invoke(ClientId client, Input input, Instant at = Instant{}) {
    Op op;
    op.client = client;
    op.input = std::move(input);
    op.called = ++events_;
    op.called_at = at;
    operations_.push_back(std::move(op));
    return operations_.size() - 1;
  }
  // Records its return. Completing an operation twice, or one that was
  // never invoked, is a misuse.
  void complete(OperationId id, Output output, Instant at = Instant{}) {
    if (id >= operations_.size()) {
      report_misuse(
          "weft::check::History::complete of an operation that was "
          "never invoked (id " +
          std::to_string(id) + ")");
    }
    Op& op = operations_[id];
    if (op.completed()) {
      report_misuse(
          "weft::check::History::complete of an operation already "
          "completed (id " +
          std::to_string(id) + ")");
    }
    op.output = std::move(output);
    op.returned = ++events_;
    op.returned_at = at;
  }

  const std::vector<Op>& operations() const noexcept { return operations_; }
  std::size_t size() const noexcept { return operations_.size(); }

 private:
  std::vector<Op> operations_;
  std::uint64_t events_ = 0;
};

}  // namespace weft::check
