// JoinSet against a sequential model: spawned tasks that finish when told,
// abort_all, and join_next from one joining task at a time, each followed
// by settling under a generated schedule. The model: join_next reports
// the task that finished first of those not yet joined (its value, or
// cancellation), and nothing when the set is empty.
#include <gtest/gtest.h>
#include <rapidcheck/gtest.h>
#include <rapidcheck/state.h>

#include <algorithm>
#include <deque>
#include <memory>
#include <optional>
#include <vector>

#include "props/model_support.h"
#include "props/world.h"
#include "runtime/weft.h"

namespace weft::props {
namespace {

constexpr std::size_t kTasksMax = 8;
constexpr int kEmpty = -1;
constexpr int kCancelled = -2;

enum class TaskPhase { kRunning, kFinished, kCancelled };

struct Model {
  std::vector<TaskPhase> tasks;
  std::vector<std::size_t> in_set;        // spawn order
  std::deque<std::size_t> finished;       // in the set, in finishing order
  std::vector<std::optional<int>> joins;  // nullopt while waiting

  std::optional<std::size_t> waiting_join() const {
    for (std::size_t i = 0; i < joins.size(); ++i) {
      if (!joins[i]) return i;
    }
    return std::nullopt;
  }
  void settle() {
    const auto join = waiting_join();
    if (!join) return;
    if (in_set.empty()) {
      joins[*join] = kEmpty;
      return;
    }
    if (finished.empty()) return;
    const std::size_t task = finished.front();
    finished.pop_front();
    joins[*join] = tasks[task] == TaskPhase::kFinished ? static_cast<int>(task)
                                                       : kCancelled;
    in_set.erase(std::find(in_set.begin(), in_set.end(), task));
  }
};

struct JoinSlot {
  JoinHandle<void> handle;
  std::optional<int> result;
};

struct Sut {
  explicit Sut(const Schedule& schedule)
      : world(schedule), spawner(world.simulator().spawner()) {}
  std::optional<JoinSet<int>> set{std::in_place};
  std::vector<std::unique_ptr<Notify>> go;
  std::vector<std::unique_ptr<JoinSlot>> joins;
  World world;
  Spawner spawner;
};

Async<int> worker(int id, Notify* go) {
  co_await go->notified();
  co_return id;
}

Async<void> joiner(JoinSet<int>* set, JoinSlot* slot) {
  try {
    std::optional<int> next = co_await set->join_next();
    slot->result = next ? *next : kEmpty;
  } catch (const TaskCancelled&) {
    slot->result = kCancelled;
  }
}

void verify(const Model& model, Sut& sut) {
  RC_ASSERT(sut.set->size() == model.in_set.size());
  for (std::size_t i = 0; i < model.joins.size(); ++i) {
    RC_ASSERT(sut.joins[i]->result == model.joins[i]);
  }
}

using Command = rc::state::Command<Model, Sut>;

struct Spawn : Command {
  void checkPreconditions(const Model& model) const override {
    RC_PRE(model.tasks.size() < kTasksMax);
  }
  void apply(Model& model) const override {
    model.in_set.push_back(model.tasks.size());
    model.tasks.push_back(TaskPhase::kRunning);
    model.settle();
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut, [&] {
      sut.go.push_back(std::make_unique<Notify>());
      sut.set->spawn_on(
          sut.spawner,
          worker(static_cast<int>(model.tasks.size()), sut.go.back().get()));
    });
  }
  void show(std::ostream& out) const override { out << "Spawn"; }
};

struct Finish : Command {
  std::size_t index;
  explicit Finish(const Model& model)
      : index(pick_one(indices_where(model.tasks, [](TaskPhase p) {
          return p == TaskPhase::kRunning;
        }))) {}
  void checkPreconditions(const Model& model) const override {
    const bool valid =
        index < model.tasks.size() && model.tasks[index] == TaskPhase::kRunning;
    RC_PRE(valid);
  }
  void apply(Model& model) const override {
    model.tasks[index] = TaskPhase::kFinished;
    model.finished.push_back(index);
    model.settle();
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut, [&] { sut.go[index]->notify_one(); });
  }
  void show(std::ostream& out) const override {
    out << "Finish(" << index << ")";
  }
};

struct AbortAll : Command {
  void apply(Model& model) const override {
    for (std::size_t task : model.in_set) {
      if (model.tasks[task] == TaskPhase::kRunning) {
        // Cancelled ones all report the same, so their order among
        // themselves does not matter.
        model.tasks[task] = TaskPhase::kCancelled;
        model.finished.push_back(task);
      }
    }
    model.settle();
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut, [&] { sut.set->abort_all(); });
  }
  void show(std::ostream& out) const override { out << "AbortAll"; }
};

struct JoinNext : Command {
  void checkPreconditions(const Model& model) const override {
    const bool one_joiner_at_a_time = !model.waiting_join().has_value();
    RC_PRE(one_joiner_at_a_time && model.joins.size() < kTasksMax);
  }
  void apply(Model& model) const override {
    model.joins.push_back(std::nullopt);
    model.settle();
  }
  void run(const Model& model, Sut& sut) const override {
    act_and_compare(*this, model, sut, [&] {
      auto slot = std::make_unique<JoinSlot>();
      slot->handle = sut.world.simulator().spawn(joiner(&*sut.set, slot.get()));
      sut.joins.push_back(std::move(slot));
    });
  }
  void show(std::ostream& out) const override { out << "JoinNext"; }
};

RC_GTEST_PROP(JoinSetModel, MatchesTheSequentialModel, (Schedule schedule)) {
  Model model;
  Sut sut(schedule);
  rc::state::check(
      model, sut,
      rc::state::gen::execOneOfWithArgs<Spawn, Finish, AbortAll, JoinNext>());
  for (auto& slot : sut.joins) slot->handle.detach();  // or they would leak
  sut.set.reset();  // aborts and lets go of what is left
  sut.world.finish();
}

}  // namespace
}  // namespace weft::props
