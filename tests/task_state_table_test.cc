// Every transition of the task state, from every state (six phases, with
// and without an abort request), against a table written out by hand:
// the next state and the action the caller must take. Transitions whose
// precondition does not hold are misuses: reported (here to recording
// hooks) and leaving the state alone. Then two threads race a wake and an
// abort against a poll on one AtomicTaskState (run under TSan in CI).
#include <gtest/gtest.h>

#include <atomic>
#include <thread>
#include <vector>

#include "runtime/seam/hooks.h"
#include "runtime/task/task_state.h"

namespace weft {
namespace {

using P = TaskPhase;

// Records misuses instead of aborting, for the rows that are misuses.
class RecordingHooks final : public DefaultHooks {
 public:
  bool on_misuse(std::string_view, SourceLocation) override {
    ++misuses;
    return true;
  }
  int misuses = 0;
};

class TaskStateTable : public ::testing::Test {
 protected:
  void SetUp() override { previous_ = install_thread_hooks(&hooks_); }
  void TearDown() override { install_thread_hooks(previous_); }
  RecordingHooks hooks_;
  RuntimeHooks* previous_ = nullptr;
};

struct Row {
  P phase;
  bool abort;
  P next_phase;
  bool next_abort;
  int action;  // the enum's value
  bool misuse;
};

template <typename Action, typename Transition>
void check(const std::vector<Row>& rows, Transition transition,
           RecordingHooks& hooks, const char* name) {
  for (const Row& row : rows) {
    SCOPED_TRACE(std::string(name) + " from " + to_string(row.phase) +
                 (row.abort ? "+abort" : ""));
    TaskState state(row.phase, row.abort);
    const int misuses_before = hooks.misuses;
    const Action action = transition(state);
    EXPECT_EQ(state, TaskState(row.next_phase, row.next_abort))
        << "now " << to_string(state.phase());
    EXPECT_EQ(static_cast<int>(action), row.action);
    EXPECT_EQ(hooks.misuses - misuses_before, row.misuse ? 1 : 0);
  }
}

constexpr int kNothing = static_cast<int>(WakeAction::kNothing);
constexpr int kEnqueue = static_cast<int>(WakeAction::kEnqueue);

TEST_F(TaskStateTable, Wake) {
  check<WakeAction>(
      {{P::kIdle, false, P::kScheduled, false, kEnqueue, false},
       {P::kIdle, true, P::kScheduled, true, kEnqueue, false},
       {P::kScheduled, false, P::kScheduled, false, kNothing, false},
       {P::kScheduled, true, P::kScheduled, true, kNothing, false},
       {P::kRunning, false, P::kRunningWoken, false, kNothing, false},
       {P::kRunning, true, P::kRunningWoken, true, kNothing, false},
       {P::kRunningWoken, false, P::kRunningWoken, false, kNothing, false},
       {P::kRunningWoken, true, P::kRunningWoken, true, kNothing, false},
       {P::kComplete, false, P::kComplete, false, kNothing, false},
       {P::kComplete, true, P::kComplete, true, kNothing, false},
       {P::kCancelled, false, P::kCancelled, false, kNothing, false},
       {P::kCancelled, true, P::kCancelled, true, kNothing, false}},
      [](TaskState& s) { return s.transition_on_wake(); }, hooks_, "wake");
}

TEST_F(TaskStateTable, StartPoll) {
  constexpr int kPoll = static_cast<int>(StartAction::kPoll);
  constexpr int kCancel = static_cast<int>(StartAction::kCancel);
  constexpr int kSkip = static_cast<int>(StartAction::kSkip);
  check<StartAction>(
      {{P::kIdle, false, P::kIdle, false, kSkip, true},
       {P::kIdle, true, P::kIdle, true, kSkip, true},
       {P::kScheduled, false, P::kRunning, false, kPoll, false},
       {P::kScheduled, true, P::kScheduled, true, kCancel, false},
       {P::kRunning, false, P::kRunning, false, kSkip, true},
       {P::kRunning, true, P::kRunning, true, kSkip, true},
       {P::kRunningWoken, false, P::kRunningWoken, false, kSkip, true},
       {P::kRunningWoken, true, P::kRunningWoken, true, kSkip, true},
       {P::kComplete, false, P::kComplete, false, kSkip, true},
       {P::kComplete, true, P::kComplete, true, kSkip, true},
       {P::kCancelled, false, P::kCancelled, false, kSkip, true},
       {P::kCancelled, true, P::kCancelled, true, kSkip, true}},
      [](TaskState& s) { return s.transition_to_running(); }, hooks_,
      "start_poll");
}

TEST_F(TaskStateTable, FinishPollPending) {
  constexpr int kIdle = static_cast<int>(FinishAction::kIdle);
  constexpr int kRequeue = static_cast<int>(FinishAction::kEnqueue);
  constexpr int kCancel = static_cast<int>(FinishAction::kCancel);
  check<FinishAction>(
      {{P::kIdle, false, P::kIdle, false, kIdle, true},
       {P::kScheduled, true, P::kScheduled, true, kIdle, true},
       {P::kRunning, false, P::kIdle, false, kIdle, false},
       {P::kRunning, true, P::kRunning, true, kCancel, false},
       {P::kRunningWoken, false, P::kScheduled, false, kRequeue, false},
       {P::kRunningWoken, true, P::kRunningWoken, true, kCancel, false},
       {P::kComplete, false, P::kComplete, false, kIdle, true},
       {P::kCancelled, true, P::kCancelled, true, kIdle, true}},
      [](TaskState& s) { return s.transition_after_poll(false); }, hooks_,
      "finish_poll(pending)");
}

TEST_F(TaskStateTable, FinishPollReady) {
  constexpr int kDone = static_cast<int>(FinishAction::kDone);
  constexpr int kIdle = static_cast<int>(FinishAction::kIdle);
  check<FinishAction>(
      {{P::kIdle, false, P::kIdle, false, kIdle, true},
       {P::kRunning, false, P::kComplete, false, kDone, false},
       {P::kRunning, true, P::kComplete, true, kDone, false},
       {P::kRunningWoken, false, P::kComplete, false, kDone, false},
       {P::kRunningWoken, true, P::kComplete, true, kDone, false},
       {P::kCancelled, false, P::kCancelled, false, kIdle, true}},
      [](TaskState& s) { return s.transition_after_poll(true); }, hooks_,
      "finish_poll(ready)");
}

TEST_F(TaskStateTable, Cancel) {
  check<int>(
      {{P::kIdle, false, P::kCancelled, false, 0, false},
       {P::kScheduled, true, P::kCancelled, true, 0, false},
       {P::kRunning, true, P::kCancelled, true, 0, false},
       {P::kRunningWoken, false, P::kCancelled, false, 0, false},
       {P::kComplete, false, P::kComplete, false, 0, true},
       {P::kCancelled, true, P::kCancelled, true, 0, true}},
      [](TaskState& s) {
        s.transition_to_cancelled();
        return 0;
      },
      hooks_, "cancel");
}

TEST_F(TaskStateTable, Abort) {
  check<WakeAction>(
      {{P::kIdle, false, P::kScheduled, true, kEnqueue, false},
       {P::kIdle, true, P::kScheduled, true, kEnqueue, false},
       {P::kScheduled, false, P::kScheduled, true, kNothing, false},
       {P::kRunning, false, P::kRunning, true, kNothing, false},
       {P::kRunningWoken, false, P::kRunningWoken, true, kNothing, false},
       {P::kComplete, false, P::kComplete, false, kNothing, false},
       {P::kCancelled, false, P::kCancelled, false, kNothing, false}},
      [](TaskState& s) { return s.transition_on_abort(); }, hooks_, "abort");
}

// One thread plays the executor (start, finish, requeue when told); two
// others wake and abort at will. Whatever the interleaving, the task is
// never queued twice at once, and once aborted it ends cancelled.
TEST(AtomicTaskStateRace, WakesAndAbortRacingPollsNeverDoubleQueue) {
  for (int round = 0; round < 200; ++round) {
    AtomicTaskState state;
    std::atomic<int> queued{1};  // spawned tasks start queued
    std::atomic<bool> done{false};
    std::atomic<int> double_queued{0};
    auto enqueue = [&] {
      if (queued.fetch_add(1) != 0) double_queued.fetch_add(1);
    };
    std::thread waker([&] {
      for (int i = 0; i < 200 && !done; ++i) {
        if (state.wake() == WakeAction::kEnqueue) enqueue();
      }
    });
    std::thread aborter([&] {
      for (int i = 0; i < 50; ++i) std::this_thread::yield();
      if (state.abort() == WakeAction::kEnqueue) enqueue();
    });
    bool finished = false;
    for (int polls = 0; polls < 100000 && !finished; ++polls) {
      if (queued.load() == 0) {
        std::this_thread::yield();
        continue;
      }
      queued.fetch_sub(1);
      switch (state.start_poll()) {
        case StartAction::kCancel:
          state.cancel();
          finished = true;
          break;
        case StartAction::kSkip:
          ADD_FAILURE() << "polled while not scheduled";
          finished = true;
          break;
        case StartAction::kPoll:
          switch (state.finish_poll(false)) {
            case FinishAction::kEnqueue:
              enqueue();
              break;
            case FinishAction::kCancel:
              state.cancel();
              finished = true;
              break;
            case FinishAction::kDone:
            case FinishAction::kIdle:
              break;
          }
          break;
      }
    }
    done = true;
    waker.join();
    aborter.join();
    EXPECT_EQ(double_queued.load(), 0);
    // The abort was seen: by the time both threads are done, the task is
    // cancelled or still waiting to be dropped at its next poll.
    const TaskState last = state.load();
    EXPECT_TRUE(last.phase() == TaskPhase::kCancelled || last.abort_requested())
        << to_string(last.phase());
  }
}

}  // namespace
}  // namespace weft
