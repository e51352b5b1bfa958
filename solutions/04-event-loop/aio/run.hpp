// aio::run: the entry point of an asyncio program (asyncio.run).
//
//   aio::Coro<int> main_coro() { co_await aio::sleep(1s); co_return 42; }
//   int main() { return aio::run(main_coro()) == 42 ? 0 : 1; }
//
// run() creates a loop, runs the coroutine as the loop's first task ("Task-1") until it
// finishes, then cancels every task still pending and lets them finish their cleanup, reports
// exceptions that no one retrieved, and closes the loop. It returns the coroutine's result or
// rethrows its exception.
//
// When it stops, exactly as asyncio: asyncio's run_until_complete stops the loop from a done
// callback of the task. That callback runs in the iteration after the task finished, and the
// loop stops at the end of that iteration, so the other tasks that are ready then get one more
// step before they are cancelled. aio does the same, so the same program prints the same lines.
//
// The clock: real by default; virtual if RunOptions says so or if the environment variable
// AIO_CLOCK is "virtual". The course's tests and its demo-against-mirror checks use the virtual
// clock, so a program that sleeps for ten seconds finishes at once and prints the same lines.
#pragma once

#include <aio/coro.hpp>
#include <aio/event_loop.hpp>
#include <aio/task_base.hpp>
#include <aio/timeline.hpp>

#include <cstdlib>
#include <cstring>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace aio {

struct RunOptions {
  std::optional<bool> virtual_clock{};  // empty: follow the AIO_CLOCK environment variable
  bool debug = false;                   // asyncio's debug=True: report slow steps
  Timeline* timeline = nullptr;         // record what every task does
};

namespace detail {

inline bool virtual_clock_requested(const RunOptions& options) {
  if (options.virtual_clock) return *options.virtual_clock;
  const char* clock = std::getenv("AIO_CLOCK");
  return clock != nullptr && std::strcmp(clock, "virtual") == 0;
}

/// Makes `loop` the running loop of this thread for as long as it lives.
class RunningLoop {
public:
  explicit RunningLoop(EventLoop& loop) : previous_(std::exchange(running_loop, &loop)) {}
  RunningLoop(const RunningLoop&) = delete;
  RunningLoop& operator=(const RunningLoop&) = delete;
  ~RunningLoop() { running_loop = previous_; }

private:
  EventLoop* previous_;
};

/// A ready-queue entry that stops the loop (its argument is the loop).
inline void stop_loop(void* loop) { static_cast<EventLoop*>(loop)->stop(); }
/// A ready-queue entry that stops the loop one iteration later.
inline void stop_loop_next_iteration(void* loop) {
  static_cast<EventLoop*>(loop)->schedule({&stop_loop, loop});
}

/// The message of a DeadlockError: which tasks are stuck, and what each one is known to wait on.
inline std::string describe_deadlock(EventLoop& loop, TaskBase& task) {
  std::string text = "the event loop has nothing left to run, but the task '" + task.name() +
                     "' has not finished: every pending task awaits something that nothing will "
                     "ever complete. Pending tasks:";
  for (TaskBase* pending : TaskBase::pending(loop)) {
    text += "\n  '" + pending->name() + "': ";
    text += pending->waiting() ? "suspended in a wait that can be cancelled"
                               : "suspended where nothing has arranged to wake it";
    std::size_t waiters = pending->listener_count();
    if (pending == &task) --waiters;  // run_until_done's own listener, which stops the loop
    if (waiters != 0) {
      text += "; " + std::to_string(waiters) + (waiters == 1 ? " waiter awaits it" : " waiters await it");
    }
  }
  text += "\nLook for an awaitable whose await_suspend never arranges a wake(), or tasks that "
          "await each other in a circle.";
  return text;
}

// book:run-until-done
/// asyncio's run_until_complete: runs the loop until `task` is done and then one iteration
/// more, in which the done callback that stops the loop runs. Throws DeadlockError if the loop
/// runs out of work while the task still waits, and InvalidStateError if somebody else called
/// loop.stop() first (asyncio's "Event loop stopped before Future completed").
inline void run_until_done(EventLoop& loop, TaskBase& task) {
  struct StopWhenDone : DoneListener {
    TaskBase& task;
    explicit StopWhenDone(TaskBase& t) : task(t) {
      on_done = [](DoneListener*, TaskBase& done) {
        done.loop().schedule({&stop_loop, &done.loop()});
      };
      task.add_done_listener(*this);
    }
    StopWhenDone(const StopWhenDone&) = delete;
    StopWhenDone& operator=(const StopWhenDone&) = delete;
    ~StopWhenDone() {
      if (!task.done()) task.remove_done_listener(*this);  // leaving early, by an exception
    }
  };
  // On the heap rather than the stack only because GCC 12 mistakes a listener on this stack
  // frame, which the destructor unhooks, for a dangling pointer (-Wdangling-pointer).
  const auto stop_when_done = std::make_unique<StopWhenDone>(task);
  loop.run_forever();  // until stop(), or until nothing is left that could ever happen
  if (task.done()) return;
  if (!loop.has_work()) throw DeadlockError(describe_deadlock(loop, task));
  throw InvalidStateError("the event loop was stopped before the task '" + task.name() +
                          "' completed");
}
// end book:run-until-done

/// asyncio.run's epilogue: cancel every task still pending and let them finish their cleanup.
inline void cancel_remaining_tasks(EventLoop& loop) noexcept {
  std::vector<TaskBase*> pending = TaskBase::pending(loop);
  if (pending.empty()) return;
  for (TaskBase* task : pending) task->acquire();
  try {
    for (TaskBase* task : pending) task->cancel();
    loop.run_until([&pending] {
      for (TaskBase* task : pending) {
        if (!task->done()) return false;
      }
      return true;
    });
    // asyncio waits for them with gather(), whose result reaches run_until_complete two
    // iterations after the last one finished; whatever is ready meanwhile gets those turns.
    loop.schedule({&stop_loop_next_iteration, &loop});
    loop.run_forever();
  } catch (...) {
    // A task that ignores its cancellation and waits forever: the loop's destructor reports it.
  }
  for (TaskBase* task : pending) task->release();
}

/// Runs `main` as the first task of a fresh loop; see aio::run.
template <class T>
T run_main(EventLoop& loop, Coro<T> main) {
  RunningLoop running(loop);
  auto* task = CoroTask<T>::spawn(loop, std::move(main));
  struct Epilogue {  // runs whether the main task finished or the loop ran dry
    EventLoop& loop;
    TaskBase* task;
    ~Epilogue() {
      cancel_remaining_tasks(loop);
      task->release();
    }
  } epilogue{loop, task};
  run_until_done(loop, *task);
  return task->result();
}

}  // namespace detail

/// Runs `coro` on `loop` as a task until it finishes and returns its result
/// (loop.run_until_complete). Other tasks stay as they are.
template <class T>
T run_until_complete(EventLoop& loop, Coro<T> coro) {
  detail::RunningLoop running(loop);
  auto* task = detail::CoroTask<T>::spawn(loop, std::move(coro));
  struct Release {
    TaskBase* task;
    ~Release() { task->release(); }
  } release{task};
  detail::run_until_done(loop, *task);
  return task->result();
}

// book:run
/// Runs `main` to completion on a new event loop and returns its result (asyncio.run).
template <class T>
T run(Coro<T> main, RunOptions options = {}) {
  EventLoop loop(detail::virtual_clock_requested(options) ? Clock::virtual_time() : Clock::real());
  loop.set_debug(options.debug);
  loop.set_timeline(options.timeline);
  return detail::run_main(loop, std::move(main));
}
// end book:run

}  // namespace aio
