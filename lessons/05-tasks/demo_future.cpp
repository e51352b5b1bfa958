// A future: a box for a result that somebody else puts in. main makes one, hands it to a courier
// task and waits; the courier sets the result a second and a half later. A future that is
// finished already gives its result at once; and a task is a future too, one whose result a
// coroutine computes. mirror_future.py is the same program in Python; both print the same lines.
#include <aio/future.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <chrono>
#include <cstdio>
#include <string>

using namespace std::chrono_literals;

namespace {

/// Seconds since the loop started (when main started), as "1.5".
std::string now() { return aio::format_seconds(aio::get_running_loop().time()); }

const char* py(bool value) { return value ? "True" : "False"; }

// book:courier
aio::Coro<void> courier(aio::Future<std::string> parcel, std::string contents, aio::Duration delay) {
  co_await aio::sleep(delay);
  std::printf("[%s] courier: set_result(%s)\n", now().c_str(), contents.c_str());
  parcel.set_result(contents);
  std::printf("[%s] courier: done; main has not run yet\n", now().c_str());
}
// end book:courier

aio::Coro<void> nap() { co_await aio::sleep(0ms); }

aio::Coro<void> main_coro() {
  // book:create
  aio::Future<std::string> parcel = aio::create_future<std::string>();
  std::printf("[%s] parcel.done() = %s\n", now().c_str(), py(parcel.done()));
  aio::Task<void> delivery = aio::create_task(courier(parcel, "a book", 1500ms));
  parcel.add_done_callback([](aio::Future<std::string>& f) {
    std::printf("[%s] callback: the parcel holds %s\n", now().c_str(), f.result().c_str());
  });
  std::printf("[%s] main: waiting for the parcel\n", now().c_str());
  std::string contents = co_await parcel;
  std::printf("[%s] main: got %s; parcel.done() = %s\n", now().c_str(), contents.c_str(), py(parcel.done()));
  // end book:create

  // book:finished
  aio::Future<int> ready = aio::create_future<int>();
  ready.set_result(7);
  std::printf("[%s] ready.done() = %s\n", now().c_str(), py(ready.done()));
  int value = co_await ready;
  std::printf("[%s] main: got %d without waiting\n", now().c_str(), value);
  // end book:finished

  // book:task-is-future
  aio::Task<void> job = aio::create_task(nap());
  std::printf("[%s] job.done() = %s\n", now().c_str(), py(job.done()));
  co_await job;
  std::printf("[%s] job.done() = %s: a task is a future its coroutine completes\n", now().c_str(), py(job.done()));
  // end book:task-is-future
}

}  // namespace

int main() { aio::run(main_coro()); }
