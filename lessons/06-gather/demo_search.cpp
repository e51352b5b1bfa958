// Lesson 06, demo 3: the map phase of a search. Every chunk of a text goes to a (pretend) scoring
// service at the same time, one task per chunk. A done callback on each task reports it as it
// finishes; gather with aio::return_exceptions hands back all the results in chunk order, the one
// failure included; the reduce step adds them up. mirror_search.py is the same program in
// Python; both print the same lines.
#include <aio/gather.hpp>
#include <aio/outcome.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <exception>
#include <sstream>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

const std::string kQuery = "task";
constexpr std::size_t kWordLimit = 16;
constexpr aio::Duration kPerWord = 50ms;
const std::vector<std::string> kChunks = {
    "a coroutine does nothing until someone awaits it or wraps it in a task",
    "the loop runs one task step at a time",
    "gather wraps each coroutine in a task and hands back every result in order "
    "even when a late task fails first",
    "sleeping gives the loop back to the others",
    "a done callback runs from the loop after the task has finished",
};

/// Seconds since the loop started, as "0.45".
std::string now() { return aio::format_seconds(aio::get_running_loop().time(), 2); }

class ContextTooLong : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

std::vector<std::string> split(const std::string& text) {
  std::istringstream in(text);
  std::vector<std::string> words;
  for (std::string word; in >> word;) words.push_back(word);
  return words;
}

/// str(exc) in Python: the message of the exception `error` points to.
std::string message(std::exception_ptr error) {
  try {
    std::rethrow_exception(error);
  } catch (const std::exception& e) {
    return e.what();
  }
}

// book:scan
/// How often kQuery occurs in `chunk`, as a slow service would answer: 50 ms per word.
aio::Coro<int> scan(std::string chunk) {
  const std::vector<std::string> words = split(chunk);
  if (words.size() > kWordLimit) {
    co_await aio::sleep(100ms);  // the service refuses at once
    throw ContextTooLong(std::to_string(words.size()) + " words, the limit is " + std::to_string(kWordLimit));
  }
  co_await aio::sleep(kPerWord * static_cast<int>(words.size()));
  co_return static_cast<int>(std::count(words.begin(), words.end(), kQuery));
}
// end book:scan

// book:report
void report(aio::Task<int> task) {
  if (std::exception_ptr error = task.exception()) {
    std::printf("%s callback: %s failed: %s\n", now().c_str(), task.get_name().c_str(), message(error).c_str());
  } else {
    std::printf("%s callback: %s found %d\n", now().c_str(), task.get_name().c_str(), task.result());
  }
}
// end book:report

aio::Coro<void> main_coro() {
  // book:map
  std::vector<aio::Task<int>> tasks;
  for (std::size_t i = 0; i < kChunks.size(); ++i) {
    aio::Task<int> task = aio::create_task(scan(kChunks[i]), "chunk-" + std::to_string(i));
    task.add_done_callback(report);
    tasks.push_back(task);
  }
  const auto done = std::count_if(tasks.begin(), tasks.end(), [](const aio::Task<int>& t) { return t.done(); });
  std::printf("%s map: %zu chunk tasks started, %td done\n", now().c_str(), tasks.size(), done);
  std::vector<aio::Outcome<int>> results = co_await aio::gather(aio::return_exceptions, tasks);
  std::printf("%s map: gathered, in chunk order:\n", now().c_str());
  // end book:map
  // book:reduce
  int hits = 0;
  int answered = 0;
  for (std::size_t i = 0; i < tasks.size(); ++i) {
    if (results[i].has_exception()) {
      std::printf("  %s: error: %s\n", tasks[i].get_name().c_str(), results[i].what().c_str());
    } else {
      std::printf("  %s: %d\n", tasks[i].get_name().c_str(), results[i].value());
      hits += results[i].value();
      ++answered;
    }
  }
  std::printf("%s reduce: '%s' occurs %d times in the %d chunks that answered\n", now().c_str(), kQuery.c_str(), hits,
              answered);
  // end book:reduce
}

}  // namespace

int main() {
  try {
    aio::run(main_coro());
  } catch (const std::exception& error) {  // an exercise not written yet, for instance
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
}
