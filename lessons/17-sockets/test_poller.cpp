// Tests for aio::Poller (exercise l17.ex1): the loop waits on epoll, for sockets and threads.
//
// The virtual clock is the subject of half of them: with a socket wait pending, time must not
// jump past data that is on its way, and must jump once every socket is idle.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/event.hpp>
#include <aio/inbox.hpp>
#include <aio/poller.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>
#include <aio/socket.hpp>
#include <aio/streams.hpp>
#include <aio/task.hpp>
#include <aio/wait_for.hpp>
#include <aio_test/catch.hpp>
#include <aio_test/log.hpp>

#include "sockets_test_support.hpp"

#include <sys/socket.h>
#include <unistd.h>

#include <chrono>
#include <string>
#include <thread>
#include <vector>

using namespace std::chrono_literals;
using aio_test::at;
using aio_test::join;
using aio_test::Log;

namespace {

/// Two connected sockets of one process (a socketpair), non-blocking.
std::pair<aio::Socket, aio::Socket> connected_pair() {
  int fds[2];
  REQUIRE(::socketpair(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0, fds) == 0);
  return {aio::Socket(fds[0]), aio::Socket(fds[1])};
}

void put(const aio::Socket& socket, const std::string& bytes) {
  REQUIRE(::send(socket.fd(), bytes.data(), bytes.size(), MSG_NOSIGNAL) == ssize_t(bytes.size()));
}

/// What waits in `fd` (up to 256 bytes); empty at the end of the stream.
std::string take_from(int fd) {
  char buffer[256];
  const ssize_t got = ::recv(fd, buffer, sizeof buffer, 0);
  return got > 0 ? std::string(buffer, std::size_t(got)) : std::string();
}

aio::Coro<void> wait_event(aio::Event* event) { co_await event->wait(); }

}  // namespace

// ---------------------------------------------------------------------------------------------
// l17.ex1: the poller

TEST_CASE("the first socket call installs one poller that is the loop's waiter", "[l17][ex1]") {
  auto main = []() -> aio::Coro<void> {
    aio::EventLoop& loop = aio::get_running_loop();
    CHECK(loop.io_waiter() == nullptr);
    aio::Poller& poller = aio::poller_of(loop);
    CHECK(loop.io_waiter() == &poller);
    CHECK(&aio::poller_of(loop) == &poller);
    CHECK_FALSE(poller.has_pending());
    co_return;
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("a reader callback runs from the ready queue while its fd is readable", "[l17][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::EventLoop& loop = aio::get_running_loop();
    auto [a, b] = connected_pair();
    const int fd = b.fd();
    aio::add_reader(loop, fd, [log, fd] {
      const std::string got = take_from(fd);
      log->push_back(at("readable: " + got));
      if (got == "stop") aio::remove_reader(aio::get_running_loop(), fd);
    });
    put(a, "one");
    co_await aio::sleep(1s);
    put(a, "two");
    co_await aio::sleep(1s);
    put(a, "stop");
    co_await aio::sleep(1s);
    put(a, "unheard");
    co_await aio::sleep(1s);
    log->push_back(at("reader removed: ") + aio_test::py(!aio::remove_reader(loop, fd)));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "0.0 readable: one | 1.0 readable: two | 2.0 readable: stop | 4.0 reader removed: True");
}

TEST_CASE("a writer callback runs while its fd has room, until removed", "[l17][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::EventLoop& loop = aio::get_running_loop();
    auto [a, b] = connected_pair();
    const int fd = a.fd();
    int calls = 0;
    aio::add_writer(loop, fd, [log, fd, &calls] {
      if (++calls == 3) {
        log->push_back(at("writable 3 times"));
        aio::remove_writer(aio::get_running_loop(), fd);
      }
    });
    co_await aio::sleep(1s);
    log->push_back(at("calls: " + std::to_string(calls)));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "0.0 writable 3 times | 1.0 calls: 3");
}

TEST_CASE("a peer that hangs up wakes the reader, which reads the end", "[l17][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::EventLoop& loop = aio::get_running_loop();
    auto [a, b] = connected_pair();
    const int fd = b.fd();
    aio::add_reader(loop, fd, [log, fd] {
      log->push_back(at("readable, got '" + take_from(fd) + "'"));
      aio::remove_reader(aio::get_running_loop(), fd);
    });
    co_await aio::sleep(1s);
    a.close();
    co_await aio::sleep(1s);
    log->push_back(at("done"));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "1.0 readable, got '' | 2.0 done");
}

TEST_CASE("a reader and a writer on one fd are each called for their own event", "[l17][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::EventLoop& loop = aio::get_running_loop();
    auto [a, b] = connected_pair();
    const int fd = b.fd();
    aio::add_writer(loop, fd, [log, fd] {
      log->push_back(at("writable"));
      aio::remove_writer(aio::get_running_loop(), fd);
    });
    aio::add_reader(loop, fd, [log, fd] {
      log->push_back(at("read '" + take_from(fd) + "'"));
      aio::remove_reader(aio::get_running_loop(), fd);
    });
    co_await aio::sleep(1s);
    put(a, "x");
    co_await aio::sleep(1s);
    log->push_back(at("end"));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "0.0 writable | 1.0 read 'x' | 2.0 end");
}

TEST_CASE("an event that nobody watches any more leaves the epoll set", "[l17][ex1]") {
  auto main = []() -> aio::Coro<void> {
    aio::EventLoop& loop = aio::get_running_loop();
    aio::Poller& poller = aio::poller_of(loop);
    auto [a, b] = connected_pair();
    const int fd = b.fd();
    aio::add_reader(loop, fd, [] {});
    const auto after_add = poller.epoll_ctl_calls();
    aio::remove_reader(loop, fd);
    CHECK(poller.epoll_ctl_calls() == after_add);  // lazily: the kernel is not told yet
    put(a, "nobody reads this");
    co_await aio::sleep(1s);  // the event comes, finds no watch: the fd leaves the set
    CHECK(poller.epoll_ctl_calls() == after_add + 1);
    co_await aio::sleep(1s);  // and does not come back
    CHECK(poller.epoll_ctl_calls() == after_add + 1);
  };
  aio::run(main(), {.virtual_clock = true});
}

TEST_CASE("the poller takes over the inbox of lesson 16: one waiter", "[l17][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::EventLoop& loop = aio::get_running_loop();
    aio::Inbox& inbox = aio::inbox_of(loop);
    aio::Poller& poller = aio::poller_of(loop);
    CHECK(poller.inbox().get() == &inbox);
    CHECK(loop.io_waiter() == &poller);
    aio::Event delivered;
    {
      aio::OutsideWork work(inbox);  // the virtual clock waits for the thread in real time
      std::thread worker([&inbox, &delivered, log, work = std::move(work)] {
        std::this_thread::sleep_for(30ms);
        inbox.post([&delivered, log] {
          log->push_back(at("posted callback runs"));
          delivered.set();
        });
      });
      worker.detach();
    }
    co_await aio::wait_for(wait_event(&delivered), 5s);
    log->push_back(at("main saw it"));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "0.0 posted callback runs | 0.0 main saw it");
}

TEST_CASE("on the virtual clock, time jumps once every socket is idle", "[l17][ex1]") {
  Log log;
  auto main = [](Log* log) -> aio::Coro<void> {
    aio::EventLoop& loop = aio::get_running_loop();
    auto [a, b] = connected_pair();
    const int fd = b.fd();
    aio::add_reader(loop, fd, [log, fd] { log->push_back(at("got '" + take_from(fd) + "'")); });
    aio::Poller& poller = aio::poller_of(loop);
    CHECK(poller.has_pending());  // a socket that was just watched may bring data
    const auto started = std::chrono::steady_clock::now();
    co_await aio::sleep(10s);     // nobody writes: time jumps after a short real wait
    const auto waited = std::chrono::steady_clock::now() - started;
    CHECK_FALSE(poller.has_pending());
    CHECK(waited < 2s);
    put(a, "late");
    co_await aio::sleep(1s);
    aio::remove_reader(loop, fd);
    log->push_back(at("end"));
  };
  aio::run(main(&log), {.virtual_clock = true});
  CHECK(join(log) == "10.0 got 'late' | 11.0 end");
}

TEST_CASE("a loop that ends with callbacks still registered closes cleanly", "[l17][ex1]") {
  auto main = []() -> aio::Coro<void> {
    aio::EventLoop& loop = aio::get_running_loop();
    auto [a, b] = connected_pair();
    aio::add_reader(loop, b.fd(), [] {});
    aio::add_reader(loop, a.fd(), [] {});
    co_await aio::sleep(1s);  // (a writer would be called in every iteration: time would stand still)
  };
  aio::run(main(), {.virtual_clock = true});
}
