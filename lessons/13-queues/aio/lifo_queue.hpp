// aio::LifoQueue<T>: the newest item comes out first (asyncio.LifoQueue), a stack.
//
// Everything but the storage is BasicQueue's (aio/queue.hpp): waiting, backpressure, holds,
// task_done/join, shutdown. The storage is a std::vector used at its back only; like the ring
// buffer it grows by doubling and keeps its capacity, so the steady state allocates nothing.
#pragma once

#include <aio/not_implemented.hpp>
#include <aio/queue.hpp>

#include <cstddef>
#include <utility>
#include <vector>

namespace aio {

/// A stack in the shape BasicQueue wants.
template <class T>
class LifoStorage {
public:
  // ---- ex6: the other two orders ------------------------------------------------------------
  void push(T item);
  T pop();
  std::size_t size() const noexcept { return items_.size(); }

private:
  std::vector<T> items_;  // the newest at the back
};

// book:lifo
template <class T>
void LifoStorage<T>::push([[maybe_unused]] T item) {
  AIO_TODO("l13.ex6", "the newest item goes where pop() will find it first (see 'Step 6: the "
                      "other two orders')");
}

template <class T>
T LifoStorage<T>::pop() {
  AIO_TODO("l13.ex6", "take the newest item out (see 'Step 6: the other two orders')");
}
// end book:lifo

/// asyncio.LifoQueue: get() returns the item put last.
template <class T>
class LifoQueue : public BasicQueue<T, LifoStorage<T>> {
public:
  using BasicQueue<T, LifoStorage<T>>::BasicQueue;
};

}  // namespace aio
