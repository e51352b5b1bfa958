// Tests for aio::TwoWayGenerator<Yield, Send> (exercise l01.ex3).
#include <aio/two_way_generator.hpp>
#include <aio_test/catch.hpp>

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

using Log = std::vector<std::string>;

aio::TwoWayGenerator<double, double> running_average() {
  double total = 0.0;
  int count = 0;
  double average = 0.0;
  while (true) {
    double value = co_yield average;
    total += value;
    ++count;
    average = total / count;
  }
}

// Echoes each word it receives in capitals, and stops at "stop".
aio::TwoWayGenerator<std::string, std::string> shout(Log* log) {
  std::string word = co_yield "ready";
  while (word != "stop") {
    log->push_back("received " + word);
    for (char& c : word) c = static_cast<char>(c - 'a' + 'A');
    word = co_yield word;
  }
  log->push_back("stopping");
}

class Resource {
public:
  explicit Resource(Log* log) : log_(log) {}
  Resource(const Resource&) = delete;
  Resource& operator=(const Resource&) = delete;
  ~Resource() { log_->push_back("release"); }

private:
  Log* log_;
};

aio::TwoWayGenerator<int, int> guarded_sum(Log* log) {
  Resource resource{log};
  int sum = 0;
  while (true) {
    const int value = co_yield sum;
    if (value < 0) throw std::invalid_argument("negative: " + std::to_string(value));
    sum += value;
  }
}

}  // namespace

TEST_CASE("send hands its value to the body and returns what the body yields next",
          "[l01][ex3]") {
  auto averager = running_average();
  CHECK(averager.start() == 0.0);
  CHECK(averager.send(10.0) == 10.0);
  CHECK(averager.send(20.0) == 15.0);
  CHECK(averager.send(60.0) == 30.0);
}

TEST_CASE("the body runs only inside start and send", "[l01][ex3]") {
  Log log;
  auto shouter = shout(&log);
  CHECK(shouter.start() == "ready");
  CHECK(log.empty());
  CHECK(shouter.send("hello") == "HELLO");
  CHECK(log == Log{"received hello"});
  CHECK(shouter.send("world") == "WORLD");
  CHECK(log == Log{"received hello", "received world"});
}

TEST_CASE("send returns nothing once the body has finished", "[l01][ex3]") {
  Log log;
  auto shouter = shout(&log);
  shouter.start();
  CHECK(shouter.send("stop") == std::nullopt);
  CHECK(shouter.done());
  CHECK(log == Log{"stopping"});
  CHECK(shouter.send("again") == std::nullopt);
}

// CPython: cpython/send_to_fresh_generator.py
TEST_CASE("send before start is refused, like Python's send to a fresh generator",
          "[l01][ex3]") {
  auto averager = running_average();
  CHECK_THROWS_WITH(averager.send(1.0), aio_test::contains("before start()"));
}

TEST_CASE("an exception thrown in the body reaches the caller of send", "[l01][ex3]") {
  Log log;
  auto summer = guarded_sum(&log);
  summer.start();
  CHECK(summer.send(5) == 5);
  CHECK_THROWS_WITH(summer.send(-1), aio_test::contains("negative: -1"));
  CHECK(summer.done());
  CHECK(log == Log{"release"});
}

TEST_CASE("close destroys the frame at once, releasing the body's locals", "[l01][ex3]") {
  Log log;
  auto summer = guarded_sum(&log);
  summer.start();
  CHECK(summer.send(2) == 2);
  CHECK(log.empty());
  summer.close();
  CHECK(log == Log{"release"});
  CHECK(summer.done());
  CHECK(summer.send(3) == std::nullopt);
}
