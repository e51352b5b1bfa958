// aio::RingBuffer<T>: a first-in, first-out buffer in one array that the items chase around.
//
// It is the storage of aio::Queue<T> (asyncio keeps a collections.deque there). Items are pushed
// at the back and popped at the front; the front moves forward through the array and wraps
// around its end, so neither operation moves any other item:
//
//   slots_   [ . . c d e . . . ]      capacity 8 (a power of two), size 3
//   head_          ^                  the oldest item, c; the next push goes to (head_ + size) % 8
//
// The array grows by doubling when a push finds it full, and never shrinks: a queue that has
// held 128 items once keeps room for 128, so that in the steady state a push and a pop allocate
// nothing. A slot is a std::optional<T>: empty slots hold no T at all (T needs no default
// constructor), and a popped item is destroyed at once, not whenever its slot is reused.
#pragma once

#include <aio/not_implemented.hpp>

#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

namespace aio {

template <class T>
class RingBuffer {
public:
  RingBuffer() = default;

  std::size_t size() const noexcept { return size_; }
  bool empty() const noexcept { return size_ == 0; }
  /// How many items fit before the next push must grow the array.
  std::size_t capacity() const noexcept { return slots_.size(); }

  /// The oldest item. Only on a buffer that is not empty.
  T& front() noexcept { return *slots_[head_]; }

  // ---- ex1: push, pop, grow -----------------------------------------------------------------
  // book:ring-api
  /// Adds `item` after the newest one, growing the array first if it is full.
  void push_back(T item);
  /// Removes the oldest item and returns it. Only on a buffer that is not empty.
  T pop_front();
  // end book:ring-api

private:
  /// Doubles the capacity (from nothing to kFirstCapacity), keeping the items in order.
  void grow();

  /// The array slot of the item `offset` places after the oldest one.
  std::size_t slot_of(std::size_t offset) const noexcept { return (head_ + offset) & (capacity() - 1); }

  static constexpr std::size_t kFirstCapacity = 8;

  std::vector<std::optional<T>> slots_;  // capacity() slots, a power of two (or none yet)
  std::size_t head_ = 0;                 // the slot of the oldest item
  std::size_t size_ = 0;                 // how many slots from head_ on hold an item
};

// book:push-back
template <class T>
void RingBuffer<T>::push_back([[maybe_unused]] T item) {
  AIO_TODO("l13.ex1", "grow if every slot is taken, then fill the slot after the newest item (see "
                      "'Step 1: the ring buffer')");
}
// end book:push-back

// book:pop-front
template <class T>
T RingBuffer<T>::pop_front() {
  AIO_TODO("l13.ex1", "move the oldest item out, empty its slot, move the front on (it wraps) "
                      "(see 'Step 1: the ring buffer')");
}
// end book:pop-front

// book:grow
template <class T>
void RingBuffer<T>::grow() {
  AIO_TODO("l13.ex1", "a twice bigger array (or a first one), the items copied in order from slot "
                      "0 (see 'Step 1: the ring buffer')");
}
// end book:grow

}  // namespace aio
