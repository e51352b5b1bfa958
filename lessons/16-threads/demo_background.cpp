// Lesson 16's second program: an event loop running in a background thread (aio::LoopThread),
// and the main thread handing it coroutines with run_coroutine_threadsafe, then stopping it.
// mirror_background.py is the same program in asyncio; both print the same lines. Every line is
// printed by the main thread, or by the loop's thread at a moment the main thread waits for, so
// the order is the same on every run.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/event.hpp>
#include <aio/run_coroutine_threadsafe.hpp>
#include <aio/sleep.hpp>

#include <chrono>
#include <cstdio>
#include <thread>
#include <utility>

using namespace std::chrono_literals;

namespace {

const std::thread::id main_thread = std::this_thread::get_id();

const char* py(bool value) { return value ? "True" : "False"; }

aio::Coro<std::pair<int, bool>> square_later(int n) {
  co_await aio::sleep(n * 100ms);
  co_return std::pair{n * n, std::this_thread::get_id() != main_thread};
}

aio::Coro<void> waits_for_ever(aio::Event* event) {
  try {
    co_await event->wait();  // nobody sets it
  } catch (const aio::CancelledError&) {
    std::printf("loop: waits_for_ever was cancelled\n");
    throw;
  }
}

aio::Coro<void> nothing() { co_return; }

// book:background
void run() {
  aio::LoopThread background;  // the loop, running in its own thread
  aio::EventLoop& loop = background.loop();
  std::printf("main: the loop runs in a background thread\n");

  std::vector<aio::ConcurrentFuture<std::pair<int, bool>>> futures;
  for (int n : {1, 2, 3}) futures.push_back(aio::run_coroutine_threadsafe(square_later(n), loop));
  for (int n : {1, 2, 3}) {
    auto [value, elsewhere] = futures[static_cast<std::size_t>(n - 1)].result(5s);
    std::printf("main: square_later(%d) = %d, computed in another thread: %s\n", n, value, py(elsewhere));
  }

  aio::Event event;  // (touched by the loop's thread only, inside waits_for_ever)
  auto slow = aio::run_coroutine_threadsafe(waits_for_ever(&event), loop);
  try {
    slow.result(100ms);
  } catch (const aio::TimeoutError&) {
    std::printf("main: no result after 0.1 s; done() = %s\n", py(slow.done()));
  }
  const bool cancelled_now = slow.cancel();
  aio::run_coroutine_threadsafe(nothing(), loop).result(5s);  // the loop has got past the cancel
  std::printf("main: cancel() = %s, cancelled() = %s\n", py(cancelled_now), py(slow.cancelled()));

  background.stop();  // asyncio: loop.call_soon_threadsafe(loop.stop); thread.join(); loop.close()
  std::printf("main: the loop has stopped and its thread has ended\n");
  try {
    aio::run_coroutine_threadsafe(nothing(), loop);
  } catch (const aio::RuntimeError& error) {
    std::printf("main: run_coroutine_threadsafe on a closed loop: RuntimeError: %s\n", error.what());
  }
}
// end book:background

}  // namespace

int main() { run(); }
