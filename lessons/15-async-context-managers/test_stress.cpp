// A randomized stress test of lesson 15: seeded, reproducible, on the virtual clock, in the shape
// of lessons 10 and 11's (support/aio_test/stress.hpp holds the shared pieces).
//
// A driver starts eight workers and then, at random moments, cancels a random one (sometimes
// twice in a row). Each worker runs scopes one after the other; a scope is, at random, an
// async_with around a probe manager, an AsyncExitStack that enters one to three probes (and
// sometimes pushes a callback), or a probe made of an async generator (context_manager). A
// probe's enter and exit take a random time; its enter may fail, its exit may fail or swallow
// (never a CancelledError). A body sleeps, yields, fails, or opens a nested scope.
//
// Checks, after each run:
//   - every probe that was entered was exited exactly once, and none that was not;
//   - exits are last in, first out: a probe's exit begins only when it is the newest open probe
//     of its worker (nested scopes and a stack's entries alike);
//   - every teardown ran to its end, cancellations or not (the teardown is shielded): when a
//     worker ends, it has no probe left open;
//   - a worker that was cancelled (cancel() returned true) ended cancelled: no cancellation is
//     lost, not even one that arrived during a teardown; unless an exit failed while it was told
//     the CancelledError: its error then replaces the cancellation, as in asyncio (a pitfall);
//   - the loop reported nothing (no failure went unretrieved, no stack was dropped with exits);
//   - nothing leaks (a token in every coroutine frame), and the same seed gives the same run.
//
// Tagged [l15][stress]: run it as ./build/<preset>/bin/test_l15 "[l15][stress]"
#include <aio/async_exit_stack.hpp>
#include <aio/async_generator.hpp>
#include <aio/async_with.hpp>
#include <aio/cancellation.hpp>
#include <aio/context_manager.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/not_implemented.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/task.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/stress.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <optional>
#include <stdexcept>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

namespace context_stress {

using aio_test::stress::FrameToken;
using aio_test::stress::Random;

constexpr int kWorkers = 8;

struct World : aio_test::stress::Run {
  explicit World(std::uint64_t seed) : Run(seed), open(kWorkers), replaced(kWorkers, false) {}

  int next_probe = 0;
  long long entered = 0;
  long long exited = 0;
  std::vector<std::vector<int>> open;  // per worker: the probes entered and not yet exited, oldest first
  // per worker: an exit failed while it was told a CancelledError, so its error replaced the
  // cancellation, as asyncio's __aexit__ does (cpython/async_with_paths.py, the last section)
  std::vector<bool> replaced;

  void opened(int worker, int id) {
    open[static_cast<std::size_t>(worker)].push_back(id);
    ++entered;
    note(static_cast<std::uint64_t>(id) * 4 + 1);
  }
  /// A teardown begins: it must be the newest open probe of its worker.
  void closing(int worker, int id) {
    auto& mine = open[static_cast<std::size_t>(worker)];
    if (mine.empty() || mine.back() != id) {
      problem("probe " + std::to_string(id) + " of worker " + std::to_string(worker) +
              (mine.empty() ? " exits, but no probe is open" : " exits while a newer probe is open"));
    }
  }
  /// A teardown ran to its end.
  void closed(int worker, int id) {
    auto& mine = open[static_cast<std::size_t>(worker)];
    if (!mine.empty() && mine.back() == id) mine.pop_back();
    ++exited;
    note(static_cast<std::uint64_t>(id) * 4 + 2);
  }
};

aio::Duration small_delay(World& world) {
  return world.random.percent(30) ? aio::Duration{0} : std::chrono::milliseconds(1 + world.random.below(20));
}

/// A manager: its enter may fail, its exit may fail or swallow (never a cancellation).
struct Probe {
  World* world;
  FrameToken token;
  int worker;
  int id;
  aio::Duration setup;
  aio::Duration teardown;
  bool enter_fails;
  bool exit_fails;
  bool swallows;

  aio::Coro<Probe*> enter() {
    co_await aio::sleep(setup);
    if (enter_fails) throw std::runtime_error("enter failed");
    world->opened(worker, id);
    co_return this;
  }
  aio::Coro<bool> exit(std::exception_ptr error) {
    world->closing(worker, id);
    co_await aio::sleep(teardown);  // a cancellation here would cut the teardown: it must not come
    world->closed(worker, id);
    if (exit_fails) {
      if (aio::detail::is_cancelled_error(error)) world->replaced[static_cast<std::size_t>(worker)] = true;
      throw std::logic_error("exit failed");
    }
    co_return swallows && error && !aio::detail::is_cancelled_error(error);
  }
};

Probe make_probe(World* world, int worker) {
  Random& random = world->random;
  return Probe{world,
               FrameToken(world),
               worker,
               world->next_probe++,
               small_delay(*world),
               small_delay(*world),
               random.percent(10),
               random.percent(10),
               random.percent(20)};
}

/// The generator form of a probe: setup, co_yield, teardown, and the error goes on.
aio::AsyncGenerator<int> generator_probe(World* world, int worker, int id, aio::Duration setup,
                                         aio::Duration teardown, FrameToken) {
  co_await aio::sleep(setup);
  world->opened(worker, id);
  std::exception_ptr error;
  try {
    co_yield id;
  } catch (...) {
    error = std::current_exception();
  }
  world->closing(worker, id);
  co_await aio::sleep(teardown);
  world->closed(worker, id);
  if (error) std::rethrow_exception(error);
}

aio::Coro<void> scope(World* world, int worker, int depth, FrameToken token);

/// A scope's body: sleeps, yields, fails, or opens a nested scope.
aio::Coro<void> body(World* world, int worker, int depth, FrameToken token) {
  const int steps = 1 + world->random.below(3);
  for (int i = 0; i < steps; ++i) {
    ++world->operations;
    switch (world->random.below(depth > 0 ? 4 : 3)) {
      case 0:
        co_await aio::sleep(small_delay(*world));
        break;
      case 1:
        co_await aio::sleep(0ms);
        break;
      case 2:
        if (world->random.percent(30)) throw std::runtime_error("body failed");
        break;
      default:
        co_await scope(world, worker, depth - 1, token);
        break;
    }
  }
}

aio::Coro<void> probe_body(Probe*, World* world, int worker, int depth, FrameToken token) {
  co_await body(world, worker, depth, std::move(token));
}

aio::Coro<void> generator_body(int, World* world, int worker, int depth, FrameToken token) {
  co_await body(world, worker, depth, std::move(token));
}

aio::Coro<void> callback(World* world, FrameToken) {
  world->note(3);
  co_await aio::sleep(0ms);
}

aio::Coro<void> stack_body(aio::AsyncExitStack* stack, World* world, int worker, int depth, FrameToken token) {
  const int probes = 1 + world->random.below(3);
  for (int i = 0; i < probes; ++i) {
    Probe probe = make_probe(world, worker);
    co_await stack->enter_async_context(std::move(probe));
    if (world->random.percent(30)) stack->push_async_callback(callback, world, token);
  }
  co_await body(world, worker, depth, std::move(token));
}

aio::Coro<void> scope(World* world, int worker, int depth, FrameToken token) {
  switch (world->random.below(3)) {
    case 0: {
      Probe probe = make_probe(world, worker);
      co_await aio::async_with(std::move(probe), probe_body, world, worker, depth, token);
      break;
    }
    case 1:
      co_await aio::async_with(aio::AsyncExitStack(), stack_body, world, worker, depth, token);
      break;
    default: {
      const int id = world->next_probe++;
      const aio::Duration setup = small_delay(*world);  // drawn one by one: the order of a call's
      const aio::Duration teardown = small_delay(*world);  // arguments differs between compilers
      auto manager = aio::context_manager(generator_probe(world, worker, id, setup, teardown, token));
      co_await aio::async_with(std::move(manager), generator_body, world, worker, depth, token);
      break;
    }
  }
}

aio::Coro<void> worker(World* world, int index, FrameToken token) {
  for (int i = 0; i < 12; ++i) {
    try {
      co_await scope(world, index, 2, token);
    } catch (const aio::NotImplemented& error) {
      world->problem(error.what());  // a stub: report() shows its hint once
      co_return;
    } catch (const std::exception&) {
      world->note(5);  // a failure (a probe or a body): go on with the next scope
    }
  }
}

aio::Coro<void> driver(World* world) {
  aio::get_running_loop().set_exception_handler(
      [world](const std::string& message) { world->problem("the loop reported: " + message); });
  std::vector<aio::Task<void>> workers;
  std::vector<bool> cancelled(kWorkers, false);
  for (int i = 0; i < kWorkers; ++i) workers.push_back(aio::create_task(worker(world, i, FrameToken(world))));
  for (int op = 0; op < 10; ++op) {
    co_await aio::sleep(std::chrono::milliseconds(world->random.below(60)));
    const int victim = world->random.below(kWorkers);
    const int times = world->random.percent(25) ? 2 : 1;
    for (int t = 0; t < times; ++t) {
      if (workers[static_cast<std::size_t>(victim)].cancel("stress")) cancelled[static_cast<std::size_t>(victim)] = true;
      if (t == 0 && times == 2) co_await aio::sleep(std::chrono::milliseconds(world->random.below(10)));
    }
  }
  for (int i = 0; i < kWorkers; ++i) {
    aio::Task<void>& task = workers[static_cast<std::size_t>(i)];
    try {
      co_await task;
    } catch (const aio::CancelledError&) {
    } catch (const aio::NotImplemented& error) {
      world->problem(error.what());
    } catch (const std::exception& error) {
      world->problem("worker " + std::to_string(i) + " failed: " + error.what());
    }
    const std::string who = "worker " + std::to_string(i);
    if (cancelled[static_cast<std::size_t>(i)] && !task.cancelled() && !world->replaced[static_cast<std::size_t>(i)]) {
      world->problem(who + " was cancelled, yet ended normally, and no exit replaced the cancellation");
    }
    if (!cancelled[static_cast<std::size_t>(i)] && task.cancelled()) world->problem(who + " ended cancelled, yet nobody cancelled it");
    if (!world->open[static_cast<std::size_t>(i)].empty()) {
      world->problem(who + " ended with " + std::to_string(world->open[static_cast<std::size_t>(i)].size()) +
                     " probe(s) open: a teardown was cut short or skipped");
    }
    world->note(task.cancelled() ? 7 : 8);
  }
}

std::uint64_t run_seed(std::uint64_t seed) {
  World world(seed);
  try {
    aio::run(driver(&world), {.virtual_clock = true});
  } catch (const std::exception& error) {
    world.problem(std::string("the run threw: ") + error.what());
  }
  if (world.entered != world.exited) {
    world.problem(std::to_string(world.entered) + " probes entered, " + std::to_string(world.exited) + " exited");
  }
  aio_test::stress::check_no_frame_left(world, seed);
  aio_test::stress::report(world, seed);
  return world.trace;
}

}  // namespace context_stress

TEST_CASE("random scopes, stacks and cancellations: every teardown runs, in order", "[l15][stress]") {
  for (std::uint64_t seed = 1; seed <= 150; ++seed) {
    const std::uint64_t first = context_stress::run_seed(seed);
    if (seed % 25 == 0) {
      INFO("seed " << seed);
      CHECK(context_stress::run_seed(seed) == first);  // the same seed gives the same run
    }
  }
}
