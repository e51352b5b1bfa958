// Lesson 07's narrated program: aio::wait.
//
// Part 1 downloads the same file from three mirrors, keeps the first answer (FIRST_COMPLETED),
// cancels the other two and waits for their cleanup. Part 2 shows that a timeout ends the wait,
// not the tasks. mirror.py is the same program with asyncio; both print the same lines.
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/wait.hpp>

#include <chrono>
#include <cstdio>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

/// Seconds since the program started, on the loop's clock.
std::string now() { return aio::format_seconds(aio::get_running_loop().time()); }

/// The names of `tasks`, in order; wait() already returns them in the order they were given.
template <class T>
std::string names(const std::vector<aio::Task<T>>& tasks) {
  std::string text;
  for (const auto& task : tasks) text += (text.empty() ? "" : ", ") + task.get_name();
  return text.empty() ? "-" : text;
}

// book:download
aio::Coro<std::string> download(std::string mirror, aio::Duration time) {
  std::printf("%s: downloading, %s s to go\n", mirror.c_str(), aio::format_seconds(time).c_str());
  try {
    co_await aio::sleep(time);
  } catch (const aio::CancelledError&) {
    std::printf("%s: cancelled at %s s, closing the connection\n", mirror.c_str(), now().c_str());
    throw;
  }
  std::printf("%s: done at %s s\n", mirror.c_str(), now().c_str());
  co_return "python.tar.xz from " + mirror;
}
// end book:download

aio::Coro<void> first_completed() {
  std::printf("1. FIRST_COMPLETED: three mirrors, the first answer wins\n");
  // book:first-completed
  std::vector<aio::Task<std::string>> tasks;
  tasks.push_back(aio::create_task(download("eu", 3s), "eu"));
  tasks.push_back(aio::create_task(download("us", 1s), "us"));
  tasks.push_back(aio::create_task(download("asia", 2s), "asia"));
  auto [done, pending] = co_await aio::wait(tasks, aio::FIRST_COMPLETED);
  std::printf("wait returned at %s s\n", now().c_str());
  std::printf("  done:    %s\n", names(done).c_str());
  std::printf("  pending: %s\n", names(pending).c_str());
  std::printf("  result:  %s\n", done.front().result().c_str());

  std::printf("cancelling %s\n", names(pending).c_str());
  for (auto& task : pending) task.cancel();
  co_await aio::wait(pending);  // the cancelled tasks run their cleanup
  std::printf("every download is over at %s s\n", now().c_str());
  for (const auto& task : tasks) {
    std::printf("  %s: %s\n", task.get_name().c_str(), task.cancelled() ? "cancelled" : "finished");
  }
  // end book:first-completed
}

aio::Coro<std::string> job(std::string name, aio::Duration time) {
  std::printf("%s: started, takes %s s\n", name.c_str(), aio::format_seconds(time).c_str());
  co_await aio::sleep(time);
  std::printf("%s: done at %s s\n", name.c_str(), now().c_str());
  co_return name;
}

aio::Coro<void> with_timeout() {
  std::printf("2. a timeout ends the wait, not the tasks\n");
  // book:timeout
  std::vector<aio::Task<std::string>> tasks;
  tasks.push_back(aio::create_task(job("backup", 2s), "backup"));
  tasks.push_back(aio::create_task(job("report", 500ms), "report"));
  auto [done, pending] = co_await aio::wait(tasks, aio::ALL_COMPLETED, 1s);
  std::printf("wait(timeout=1.0) returned at %s s\n", now().c_str());
  std::printf("  done:    %s\n", names(done).c_str());
  std::printf("  pending: %s\n", names(pending).c_str());
  aio::Task<std::string> backup = tasks[0];
  std::printf("backup is %s; awaiting it\n", backup.cancelled() ? "cancelled" : "still running");
  std::string result = co_await backup;
  std::printf("got %s at %s s\n", result.c_str(), now().c_str());
  // end book:timeout
}

aio::Coro<void> main_coro() {
  co_await first_completed();
  co_await with_timeout();
}

}  // namespace

int main() { aio::run(main_coro()); }
