// Lesson 11's second program: ending a task group early on purpose. A task of the group throws a
// dedicated exception, TerminateTaskGroup, and the code after the group handles it, as Python's
// except* does; a real error still gets through. mirror_terminate.py is the same program in
// asyncio; both print the same lines.
#include <aio/errors.hpp>
#include <aio/exception_group.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio/task_group.hpp>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

constexpr std::size_t kWanted = 5;

/// Python's built-in ConnectionError.
struct ConnectionError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

std::string elapsed() { return aio::format_seconds(aio::get_running_loop().time()); }

// book:terminate
/// Thrown inside a task group to end it on purpose: every other task is cancelled.
struct TerminateTaskGroup : std::exception {
  const char* what() const noexcept override { return "TerminateTaskGroup"; }
};

aio::Coro<void> terminate_task_group() {
  throw TerminateTaskGroup();
  co_return;  // makes this function a coroutine: the throw happens when the task runs
}
// end book:terminate

struct Site {
  std::string name;
  aio::Duration per_page;
  int pages;
  int broken_at = 0;  // the page whose download fails; 0: none
};

// book:crawl
aio::Coro<void> crawl(Site site, std::vector<std::string>* found, aio::TaskGroup group) {
  std::printf("%s %s: crawling, %s s per page\n", elapsed().c_str(), site.name.c_str(),
              aio::format_seconds(site.per_page).c_str());
  try {
    for (int page = 1; page <= site.pages; ++page) {
      co_await aio::sleep(site.per_page);
      if (page == site.broken_at) {
        throw ConnectionError(site.name + ": connection reset at page " + std::to_string(page));
      }
      found->push_back(site.name + "/" + std::to_string(page));
      std::printf("%s %s: page %d (%zu in all)\n", elapsed().c_str(), site.name.c_str(), page, found->size());
      if (found->size() == kWanted) {
        std::printf("%s %s: that makes %zu, ending the group\n", elapsed().c_str(), site.name.c_str(), kWanted);
        group.create_task(terminate_task_group());
        co_return;
      }
    }
  } catch (const aio::CancelledError&) {
    std::printf("%s %s: stopped\n", elapsed().c_str(), site.name.c_str());
    throw;
  }
  std::printf("%s %s: no more pages\n", elapsed().c_str(), site.name.c_str());
}

aio::Coro<void> crawl_until_enough(std::vector<Site> sites) {
  std::vector<std::string> found;
  try {
    co_await aio::task_group(
        [](aio::TaskGroup group, std::vector<Site> sites, std::vector<std::string>* found) -> aio::Coro<void> {
          for (const Site& site : sites) group.create_task(crawl(site, found, group));
          co_return;
        },
        sites, &found);
  } catch (const aio::ExceptionGroup& errors) {
    errors
        .handle<TerminateTaskGroup>([](const TerminateTaskGroup&) {
          std::printf("%s main: the group was ended on purpose\n", elapsed().c_str());
        })
        .rethrow();  // a real error goes on
  }
  std::string pages;
  for (const std::string& page : found) pages += (pages.empty() ? "" : ", ") + page;
  std::printf("%s main: %zu pages: %s\n", elapsed().c_str(), found.size(), pages.c_str());
}
// end book:crawl

aio::Coro<void> amain() {
  std::printf("== ending a group on purpose once %zu pages are in\n", kWanted);
  std::vector<Site> three_sites{{"alpha", 400ms, 2}, {"beta", 700ms, 10}, {"gamma", 1s, 10}};
  co_await crawl_until_enough(three_sites);
  std::printf("== a real error is not taken for the signal to stop\n");
  std::vector<Site> with_a_broken_one{{"alpha", 400ms, 10}, {"delta", 500ms, 10, 1}};
  try {
    co_await crawl_until_enough(with_a_broken_one);
  } catch (const aio::ExceptionGroup& errors) {
    errors
        .handle<ConnectionError>([](const ConnectionError& error) {
          std::printf("%s main: caught ConnectionError: %s\n", elapsed().c_str(), error.what());
        })
        .rethrow();
  }
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
