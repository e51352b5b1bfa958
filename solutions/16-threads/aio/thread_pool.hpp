// aio::ThreadPoolExecutor: a fixed number of worker threads that run jobs one at a time each
// (Python's concurrent.futures.ThreadPoolExecutor).
//
//   aio::ThreadPoolExecutor pool(4);
//   pool.submit([] { blocking_call(); });   // any thread; runs in one of the four workers
//   pool.shutdown();                        // no more jobs; waits for the queued ones
//
// The pool knows nothing about event loops: a job is any callable with no arguments and no
// result. run_in_executor (aio/run_in_executor.hpp) wraps a function in a job that delivers
// its result to a loop through the loop's inbox.
//
// Shared state, all of it guarded by one mutex:
//   jobs_          submitted, not yet taken by a worker, oldest first
//   idle_          the workers asleep, the one that fell asleep last at the back
//   shutting_down_ shutdown() was called: submit() refuses, and workers leave once jobs_ is
//                  empty (the jobs already queued still run, as in Python without
//                  cancel_futures=True)
// A worker with nothing to do puts itself on idle_ and sleeps on its own semaphore. submit()
// takes the worker at the back of idle_ off it and wakes it: the last one to fall asleep, whose
// stack and data are still in the caches, so that a program with one job in flight at a time
// (a loop awaiting to_thread after to_thread) keeps waking the same thread. (One condition
// variable shared by all would wake whichever had slept longest, and its waking costs a system
// call more: the woken thread takes the mutex back marked as contended.) shutdown() wakes every
// sleeper. A worker is on idle_ exactly while it sleeps or is about to, and whoever takes it off
// releases its semaphore once: so a release is never lost, and never doubled.
//
// Where a job runs: on one of the pool's threads, never inside submit(). An exception that
// escapes a job is a bug of the job (run_in_executor catches its function's exceptions): the
// worker reports it on stderr and goes on.
#pragma once

#include <aio/errors.hpp>
#include <aio/inbox.hpp>
#include <aio/not_implemented.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
#include <semaphore>
#include <thread>
#include <utility>
#include <vector>

namespace aio {

// book:pool-class
class ThreadPoolExecutor {
public:
  /// Python's default size: min(32, os.cpu_count() + 4) workers, enough for I/O-bound jobs
  /// without one thread per job.
  static std::size_t default_workers() {
    return std::min<std::size_t>(32, std::max(1u, std::thread::hardware_concurrency()) + 4);
  }

  /// Starts `workers` threads at once (Python starts them as jobs come; here they all wait from
  /// the start, which keeps the worker's loop the only thing to read).
  explicit ThreadPoolExecutor(std::size_t workers = default_workers()) {
    if (workers == 0) throw ValueError("max_workers must be greater than 0");
    workers_ = std::vector<Worker>(workers);
    for (Worker& worker : workers_) worker.thread = std::thread([this, &worker] { work(worker); });
  }
  ThreadPoolExecutor(const ThreadPoolExecutor&) = delete;
  ThreadPoolExecutor& operator=(const ThreadPoolExecutor&) = delete;
  /// Waits for every job submitted, as `with ThreadPoolExecutor() as pool:` does at its end.
  ~ThreadPoolExecutor() { shutdown(true); }

  std::size_t max_workers() const noexcept { return workers_.size(); }

  /// Queues `job()` to run in a worker; from any thread. Throws RuntimeError after shutdown.
  template <class F>
  void submit(F job) {
    submit_node(std::make_unique<detail::PostedCall<F>>(std::move(job)));
  }

  void submit_node(std::unique_ptr<detail::Posted> job) {
    Worker* woken = nullptr;
    {
      std::lock_guard lock(mutex_);
      if (shutting_down_) throw RuntimeError("cannot schedule new futures after shutdown");
      jobs_.push(std::move(job));
      if (!idle_.empty()) {
        woken = idle_.back();  // the last to fall asleep (a busy worker takes the job otherwise)
        idle_.pop_back();
      }
    }
    if (woken != nullptr) woken->wakeup.release();  // after unlocking: it does not block on the mutex
  }

  /// Refuses new jobs; with `wait`, returns once every queued job has run and every worker has
  /// ended. Without it, returns at once; the workers finish the queue and end on their own, and
  /// the destructor joins them. Calling it again is harmless.
  void shutdown(bool wait = true);

private:
  struct Worker {
    std::thread thread;
    std::binary_semaphore wakeup{0};  // released once for each time the worker goes on idle_
  };

  void work(Worker& self);

  std::mutex mutex_;
  detail::PostedList jobs_;     // guarded by mutex_
  std::vector<Worker*> idle_;   // guarded by mutex_
  bool shutting_down_ = false;  // guarded by mutex_
  std::vector<Worker> workers_;
  std::mutex joining_;  // one shutdown(true) joins at a time
};
// end book:pool-class

// book:worker
// The loop of every worker thread.
inline void ThreadPoolExecutor::work(Worker& self) {
  for (;;) {
    std::unique_ptr<detail::Posted> job;
    {
      std::unique_lock lock(mutex_);
      while (jobs_.empty() && !shutting_down_) {
        // Sleep until submit() or shutdown() takes this worker off idle_ and releases it (a
        // release that comes before the acquire is kept). Woken, look at the queue again: a
        // busy worker may have taken the job first.
        idle_.push_back(&self);
        lock.unlock();
        self.wakeup.acquire();
        lock.lock();
      }
      if (jobs_.empty()) return;  // shutting down, and nothing left to run
      job = jobs_.pop();
    }
    // Run it without the lock, so that the other workers can take jobs meanwhile.
    try {
      detail::Posted& running = *job;
      running.run(std::move(job));  // the job dies at the end of its run, or passes itself on
    } catch (const std::exception& error) {
      std::fprintf(stderr, "aio::ThreadPoolExecutor: a job threw: %s\n", error.what());
    }
  }
}

inline void ThreadPoolExecutor::shutdown(bool wait) {
  std::vector<Worker*> sleeping;
  {
    std::lock_guard lock(mutex_);
    shutting_down_ = true;
    sleeping.swap(idle_);
  }
  for (Worker* worker : sleeping) worker->wakeup.release();  // every sleeping worker, not just one
  if (!wait) return;
  std::lock_guard joining(joining_);
  for (Worker& worker : workers_) {
    if (worker.thread.joinable() && worker.thread.get_id() != std::this_thread::get_id()) worker.thread.join();
  }
}
// end book:worker

}  // namespace aio
