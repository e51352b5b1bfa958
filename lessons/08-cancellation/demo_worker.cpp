// A worker loop, cancelled and drained: it puts back the item it was working on, reports what
// it finished and what is left, and the caller learns that it really has stopped.
// mirror_worker.py is the same program in asyncio; both print the same lines.
#include <aio/cancel_and_wait.hpp>
#include <aio/errors.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <chrono>
#include <cstdio>
#include <deque>
#include <exception>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::string elapsed() { return aio::format_seconds(aio::get_running_loop().time()); }

template <class Container>
std::string join(const Container& items) {
  std::string text;
  for (const std::string& item : items) text += (text.empty() ? "" : ", ") + item;
  return text;
}

/// Python's `finally:` for this worker: a destructor runs however the function is left.
struct ReportWhenStopped {
  const std::vector<std::string>& finished;
  ~ReportWhenStopped() {
    std::printf("%s worker: stopped after %zu items\n", elapsed().c_str(), finished.size());
  }
};

// book:worker
aio::Coro<void> worker(std::deque<std::string>* items, std::vector<std::string>* finished) {
  ReportWhenStopped report{*finished};
  while (!items->empty()) {
    std::string item = items->front();
    items->pop_front();
    std::printf("%s worker: %s started\n", elapsed().c_str(), item.c_str());
    std::exception_ptr cancelled;
    try {
      co_await aio::sleep(1500ms);
    } catch (const aio::CancelledError&) {
      cancelled = std::current_exception();
    }
    if (cancelled) {  // roll the item back (that takes a while), then let the cancellation go on
      std::printf("%s worker: cancelled during %s, rolling it back\n", elapsed().c_str(), item.c_str());
      co_await aio::sleep(200ms);
      items->push_front(item);
      std::printf("%s worker: %s is back in the queue\n", elapsed().c_str(), item.c_str());
      std::rethrow_exception(cancelled);
    }
    finished->push_back(item);
    std::printf("%s worker: %s finished\n", elapsed().c_str(), item.c_str());
  }
}
// end book:worker

aio::Coro<void> amain() {
  std::deque<std::string> items;
  for (int n = 1; n <= 7; ++n) items.push_back("order-" + std::to_string(n));
  std::vector<std::string> finished;
  auto task = aio::create_task(worker(&items, &finished));
  co_await aio::sleep(4s);
  std::printf("%s main: shutting down\n", elapsed().c_str());
  bool was_cancelled = co_await aio::cancel_and_wait(task, "shutdown");
  std::printf("%s main: the worker has stopped, cancelled = %s\n", elapsed().c_str(),
              was_cancelled ? "True" : "False");
  std::printf("%s main: finished %s\n", elapsed().c_str(), join(finished).c_str());
  std::printf("%s main: left for next time %s\n", elapsed().c_str(), join(items).c_str());
}

}  // namespace

int main() {
  try {
    aio::run(amain());
  } catch (const std::exception& error) {  // an unfinished exercise, on the exercises track
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
}
