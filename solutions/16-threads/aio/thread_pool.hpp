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
//   shutting_down_ shutdown() was called: submit() refuses, and workers leave once jobs_ is
//                  empty (the jobs already queued still run, as in Python without
//                  cancel_futures=True)
// A worker sleeps on the condition variable while jobs_ is empty and shutting_down_ is false;
// submit() wakes one worker, shutdown() wakes them all.
//
// Where a job runs: on one of the pool's threads, never inside submit(). An exception that
// escapes a job is a bug of the job (run_in_executor catches its function's exceptions): the
// worker reports it on stderr and goes on.
#pragma once

#include <aio/errors.hpp>
#include <aio/inbox.hpp>
#include <aio/not_implemented.hpp>

#include <algorithm>
#include <condition_variable>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <memory>
#include <mutex>
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
    threads_.reserve(workers);
    for (std::size_t i = 0; i < workers; ++i) threads_.emplace_back([this] { work(); });
  }
  ThreadPoolExecutor(const ThreadPoolExecutor&) = delete;
  ThreadPoolExecutor& operator=(const ThreadPoolExecutor&) = delete;
  /// Waits for every job submitted, as `with ThreadPoolExecutor() as pool:` does at its end.
  ~ThreadPoolExecutor() { shutdown(true); }

  std::size_t max_workers() const noexcept { return threads_.size(); }

  /// Queues `job()` to run in a worker; from any thread. Throws RuntimeError after shutdown.
  template <class F>
  void submit(F job) {
    submit_node(std::make_unique<detail::PostedCall<F>>(std::move(job)));
  }

  void submit_node(std::unique_ptr<detail::Posted> job) {
    {
      std::lock_guard lock(mutex_);
      if (shutting_down_) throw RuntimeError("cannot schedule new futures after shutdown");
      jobs_.push(std::move(job));
    }
    wakeup_.notify_one();  // after unlocking: the woken worker does not block on the mutex
  }

  /// Refuses new jobs; with `wait`, returns once every queued job has run and every worker has
  /// ended. Without it, returns at once; the workers finish the queue and end on their own, and
  /// the destructor joins them. Calling it again is harmless.
  void shutdown(bool wait = true);

private:
  void work();

  std::mutex mutex_;
  std::condition_variable wakeup_;
  detail::PostedList jobs_;     // guarded by mutex_
  bool shutting_down_ = false;  // guarded by mutex_
  std::vector<std::thread> threads_;
  std::mutex joining_;  // one shutdown(true) joins at a time
};
// end book:pool-class

// book:worker
// The loop of every worker thread.
inline void ThreadPoolExecutor::work() {
  for (;;) {
    std::unique_ptr<detail::Posted> job;
    {
      std::unique_lock lock(mutex_);
      wakeup_.wait(lock, [this] { return !jobs_.empty() || shutting_down_; });
      if (jobs_.empty()) return;  // shutting down, and nothing left to run
      job = jobs_.pop();
    }
    // Run it without the lock, so that the other workers can take jobs meanwhile.
    try {
      job->run();
    } catch (const std::exception& error) {
      std::fprintf(stderr, "aio::ThreadPoolExecutor: a job threw: %s\n", error.what());
    }
  }
}

inline void ThreadPoolExecutor::shutdown(bool wait) {
  {
    std::lock_guard lock(mutex_);
    shutting_down_ = true;
  }
  wakeup_.notify_all();  // every sleeping worker must see it, not just one
  if (!wait) return;
  std::lock_guard joining(joining_);
  for (auto& thread : threads_) {
    if (thread.joinable() && thread.get_id() != std::this_thread::get_id()) thread.join();
  }
}
// end book:worker

}  // namespace aio
