// Tests for aio::RingBuffer (lesson 13, ex1): the first-in, first-out storage of aio::Queue.
// Plain data: no loop, no tasks.
#include <aio/ring_buffer.hpp>
#include <aio_test/catch.hpp>

#include <cstddef>
#include <memory>
#include <vector>

namespace {

/// Pops everything, oldest first.
std::vector<int> drain(aio::RingBuffer<int>& ring) {
  std::vector<int> out;
  while (!ring.empty()) out.push_back(ring.pop_front());
  return out;
}

}  // namespace

TEST_CASE("a ring buffer gives items back in the order they were pushed", "[l13][ex1]") {
  aio::RingBuffer<int> ring;
  CHECK(ring.capacity() == 0);  // nothing allocated before the first push
  for (int i = 1; i <= 5; ++i) ring.push_back(i);
  CHECK(ring.size() == 5);
  CHECK(ring.front() == 1);
  CHECK(drain(ring) == std::vector<int>{1, 2, 3, 4, 5});
  CHECK(ring.empty());
}

TEST_CASE("a ring buffer wraps around its end and keeps its capacity", "[l13][ex1]") {
  aio::RingBuffer<int> ring;
  for (int i = 0; i < 6; ++i) ring.push_back(i);
  const std::size_t capacity = ring.capacity();
  REQUIRE(capacity == 8);
  // Walk the front around the array several times: at most 6 items in, so it never grows.
  std::vector<int> out;
  for (int i = 6; i < 40; ++i) {
    out.push_back(ring.pop_front());
    ring.push_back(i);
    CHECK(ring.size() == 6);
  }
  CHECK(ring.capacity() == capacity);
  std::vector<int> rest = drain(ring);
  out.insert(out.end(), rest.begin(), rest.end());
  std::vector<int> expected;
  for (int i = 0; i < 40; ++i) expected.push_back(i);
  CHECK(out == expected);
}

TEST_CASE("a ring buffer doubles when full, keeping the order across the wrap", "[l13][ex1]") {
  aio::RingBuffer<int> ring;
  for (int i = 0; i < 8; ++i) ring.push_back(i);
  for (int i = 0; i < 5; ++i) CHECK(ring.pop_front() == i);
  for (int i = 8; i < 13; ++i) ring.push_back(i);  // wraps: slots 0 to 4 hold 8..12
  REQUIRE(ring.capacity() == 8);
  REQUIRE(ring.size() == 8);
  ring.push_back(13);  // full: grows to 16
  CHECK(ring.capacity() == 16);
  ring.push_back(14);
  CHECK(drain(ring) == std::vector<int>{5, 6, 7, 8, 9, 10, 11, 12, 13, 14});
  // Emptied, it keeps its room: the steady state allocates nothing.
  CHECK(ring.capacity() == 16);
  for (int i = 0; i < 16; ++i) ring.push_back(i);
  CHECK(ring.capacity() == 16);
  CHECK(ring.size() == 16);
}

/// Counts the objects alive, moved-from ones included: a slot that keeps a moved-from item keeps
/// an object (and whatever a moved-from object may still hold) alive.
struct Tracked {
  static inline int alive = 0;
  int value;
  explicit Tracked(int v) : value(v) { ++alive; }
  Tracked(Tracked&& other) noexcept : value(other.value) { ++alive; }
  Tracked& operator=(Tracked&& other) noexcept = default;
  ~Tracked() { --alive; }
};

TEST_CASE("pop_front lets go of the item at once", "[l13][ex1]") {
  Tracked::alive = 0;
  {
    aio::RingBuffer<Tracked> ring;
    for (int i = 0; i < 3; ++i) ring.push_back(Tracked(i));
    CHECK(Tracked::alive == 3);
    {
      Tracked out = ring.pop_front();
      CHECK(out.value == 0);
      CHECK(Tracked::alive == 3);  // two in the ring, and `out`: nothing left behind in the slot
    }
    CHECK(Tracked::alive == 2);
    for (int i = 3; i < 12; ++i) ring.push_back(Tracked(i));  // grows: 11 items, 16 slots
    CHECK(Tracked::alive == 11);
  }
  CHECK(Tracked::alive == 0);
}

TEST_CASE("a ring buffer holds move-only items", "[l13][ex1]") {
  aio::RingBuffer<std::unique_ptr<int>> ring;
  for (int i = 0; i < 20; ++i) ring.push_back(std::make_unique<int>(i));
  for (int i = 0; i < 20; ++i) CHECK(*ring.pop_front() == i);
}
