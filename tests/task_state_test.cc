#include "runtime/task/task_state.h"

#include <gtest/gtest.h>

#include <vector>

namespace weft {
namespace {

constexpr TaskPhase kAllPhases[] = {
    TaskPhase::kIdle,         TaskPhase::kScheduled, TaskPhase::kRunning,
    TaskPhase::kRunningWoken, TaskPhase::kComplete,  TaskPhase::kCancelled,
};

TEST(TaskState, SpawnedTaskIsScheduled) {
  EXPECT_EQ(TaskState::spawned().phase(), TaskPhase::kScheduled);
  EXPECT_FALSE(TaskState::spawned().abort_requested());
}

TEST(TaskState, WakeQueuesOnlyAnIdleTask) {
  for (TaskPhase phase : kAllPhases) {
    TaskState state(phase, false);
    const WakeAction action = state.transition_on_wake();
    EXPECT_EQ(action == WakeAction::kEnqueue, phase == TaskPhase::kIdle)
        << to_string(phase);
  }
}

TEST(TaskState, WakeWhileRunningRequeuesOnce) {
  TaskState state = TaskState::spawned();
  ASSERT_EQ(state.transition_to_running(), StartAction::kPoll);
  EXPECT_EQ(state.transition_on_wake(), WakeAction::kNothing);
  EXPECT_EQ(state.phase(), TaskPhase::kRunningWoken);
  EXPECT_EQ(state.transition_on_wake(), WakeAction::kNothing);
  EXPECT_EQ(state.transition_after_poll(false), FinishAction::kEnqueue);
  EXPECT_EQ(state.phase(), TaskPhase::kScheduled);
  // Already queued: another wake adds nothing.
  EXPECT_EQ(state.transition_on_wake(), WakeAction::kNothing);
}

TEST(TaskState, PendingWithoutWakeGoesIdle) {
  TaskState state = TaskState::spawned();
  ASSERT_EQ(state.transition_to_running(), StartAction::kPoll);
  EXPECT_EQ(state.transition_after_poll(false), FinishAction::kIdle);
  EXPECT_EQ(state.phase(), TaskPhase::kIdle);
}

TEST(TaskState, ReadyCompletesEvenIfWokenOrAborted) {
  TaskState state = TaskState::spawned();
  ASSERT_EQ(state.transition_to_running(), StartAction::kPoll);
  EXPECT_EQ(state.transition_on_wake(), WakeAction::kNothing);
  EXPECT_EQ(state.transition_on_abort(), WakeAction::kNothing);
  EXPECT_EQ(state.transition_after_poll(true), FinishAction::kDone);
  EXPECT_EQ(state.phase(), TaskPhase::kComplete);
  EXPECT_TRUE(state.is_terminal());
}

TEST(TaskState, AbortOfIdleTaskQueuesItToBeDropped) {
  TaskState state(TaskPhase::kIdle, false);
  EXPECT_EQ(state.transition_on_abort(), WakeAction::kEnqueue);
  EXPECT_EQ(state.phase(), TaskPhase::kScheduled);
  EXPECT_EQ(state.transition_to_running(), StartAction::kCancel);
  state.transition_to_cancelled();
  EXPECT_EQ(state.phase(), TaskPhase::kCancelled);
}

TEST(TaskState, AbortOfScheduledTaskCancelsBeforeThePoll) {
  TaskState state = TaskState::spawned();
  EXPECT_EQ(state.transition_on_abort(), WakeAction::kNothing);
  EXPECT_EQ(state.transition_to_running(), StartAction::kCancel);
}

TEST(TaskState, AbortDuringPollCancelsWhenThePollEnds) {
  TaskState state = TaskState::spawned();
  ASSERT_EQ(state.transition_to_running(), StartAction::kPoll);
  EXPECT_EQ(state.transition_on_abort(), WakeAction::kNothing);
  EXPECT_EQ(state.transition_after_poll(false), FinishAction::kCancel);
}

TEST(TaskState, TerminalPhasesIgnoreWakeAndAbort) {
  for (TaskPhase phase : {TaskPhase::kComplete, TaskPhase::kCancelled}) {
    TaskState state(phase, false);
    EXPECT_EQ(state.transition_on_wake(), WakeAction::kNothing);
    EXPECT_EQ(state.transition_on_abort(), WakeAction::kNothing);
    EXPECT_EQ(state, TaskState(phase, false));
  }
}

TEST(TaskState, BitsRoundTripForEveryState) {
  for (TaskPhase phase : kAllPhases) {
    for (bool abort : {false, true}) {
      TaskState state(phase, abort);
      EXPECT_EQ(TaskState::from_bits(state.bits()), state);
      EXPECT_EQ(state.phase(), phase);
      EXPECT_EQ(state.abort_requested(), abort);
    }
  }
}

TEST(TaskStateDeathTest, PollingATaskThatIsNotScheduledIsReported) {
  // Without hooks a misuse aborts with its message.
  TaskState state(TaskPhase::kIdle, false);
  EXPECT_DEATH((void)state.transition_to_running(),
               "polled while not scheduled");
}

TEST(AtomicTaskState, AppliesTheSameTransitions) {
  AtomicTaskState state;
  EXPECT_EQ(state.load().phase(), TaskPhase::kScheduled);
  EXPECT_EQ(state.start_poll(), StartAction::kPoll);
  EXPECT_EQ(state.wake(), WakeAction::kNothing);
  EXPECT_EQ(state.finish_poll(false), FinishAction::kEnqueue);
  EXPECT_EQ(state.start_poll(), StartAction::kPoll);
  EXPECT_EQ(state.finish_poll(false), FinishAction::kIdle);
  EXPECT_EQ(state.wake(), WakeAction::kEnqueue);
  EXPECT_EQ(state.abort(), WakeAction::kNothing);
  EXPECT_EQ(state.start_poll(), StartAction::kCancel);
  state.cancel();
  EXPECT_EQ(state.load().phase(), TaskPhase::kCancelled);
}

}  // namespace
}  // namespace weft
