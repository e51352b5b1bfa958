// A task's life: creation, names, state, done callbacks, awaiting, a task nobody keeps, and an
// exception nobody reads. mirror_life.py is the same program in Python; both print the same
// lines. Every line starts with the time since main started, on the loop's clock.
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>

#include <algorithm>
#include <chrono>
#include <cstdio>
#include <stdexcept>
#include <string>
#include <vector>

using namespace std::chrono_literals;

namespace {

/// Seconds since the loop started (when main started), as "1.0".
std::string now() { return aio::format_seconds(aio::get_running_loop().time()); }

/// Python's spelling of a bool, so that both programs print the same words.
const char* py(bool value) { return value ? "True" : "False"; }

// book:brew
aio::Coro<std::string> brew(std::string drink, aio::Duration time) {
  std::printf("[%s]   %s: brewing\n", now().c_str(), drink.c_str());
  co_await aio::sleep(time);
  std::printf("[%s]   %s: ready\n", now().c_str(), drink.c_str());
  co_return "a cup of " + drink;
}
// end book:brew

aio::Coro<void> wash_up() {
  co_await aio::sleep(500ms);
  std::printf("[%s]   wash_up: done, though nobody kept its task\n", now().c_str());
}

aio::Coro<void> make_toast() {
  co_await aio::sleep(300ms);
  throw std::runtime_error("the toast is on fire");
}

aio::Coro<void> main_coro() {
  aio::get_running_loop().set_exception_handler([](const std::string& message) {
    std::printf("[%s] exception handler: %s\n", now().c_str(), message.c_str());
  });
  std::printf("[%s] main runs as %s\n", now().c_str(), aio::current_task()->name().c_str());

  // book:create
  aio::Task<std::string> tea = aio::create_task(brew("tea", 1s));
  aio::Task<std::string> coffee = aio::create_task(brew("coffee", 2s), "coffee");
  std::printf("[%s] created %s and %s; neither has run yet\n", now().c_str(),
              tea.get_name().c_str(), coffee.get_name().c_str());
  std::printf("[%s] tea.done() is %s\n", now().c_str(), py(tea.done()));
  try {
    tea.result();
  } catch (const aio::InvalidStateError&) {
    std::printf("[%s] tea.result() now raises InvalidStateError\n", now().c_str());
  }
  std::vector<std::string> names;
  for (aio::TaskBase* task : aio::all_tasks()) names.push_back(task->name());
  std::sort(names.begin(), names.end());
  std::printf("[%s] all_tasks(): %s, %s, %s\n", now().c_str(), names.at(0).c_str(),
              names.at(1).c_str(), names.at(2).c_str());
  // end book:create

  // book:callbacks
  tea.add_done_callback([](aio::Task<std::string> task) {
    std::printf("[%s] callback 1: %s gave %s\n", now().c_str(), task.get_name().c_str(),
                task.result().c_str());
  });
  tea.add_done_callback([](aio::Task<std::string>) {
    std::printf("[%s] callback 2: callbacks run in the order they were added\n", now().c_str());
  });
  std::printf("[%s] main awaits tea\n", now().c_str());
  std::string cup = co_await tea;
  std::printf("[%s] main got %s\n", now().c_str(), cup.c_str());
  std::string again = co_await tea;
  std::printf("[%s] awaited again, at once: %s\n", now().c_str(), again.c_str());
  tea.add_done_callback([](aio::Task<std::string>) {
    std::printf("[%s] callback 3: added after tea finished\n", now().c_str());
  });
  std::printf("[%s] callback 3 is scheduled, not run: main goes on until it yields\n", now().c_str());
  co_await aio::sleep(0s);
  // end book:callbacks

  // book:forgotten
  aio::create_task(wash_up());  // the handle is dropped at once; the loop keeps the task
  aio::Task<void> toast = aio::create_task(make_toast(), "toast");
  cup = co_await coffee;
  std::printf("[%s] main got %s\n", now().c_str(), cup.c_str());
  std::printf("[%s] toast.done() is %s, and main never asks how it went\n", now().c_str(),
              py(toast.done()));
  std::printf("[%s] main returns\n", now().c_str());
  // end book:forgotten
}

}  // namespace

int main() { aio::run(main_coro()); }
