// aio::PriorityQueue<T, Compare>: the smallest item comes out first (asyncio.PriorityQueue).
//
//   aio::PriorityQueue<std::pair<int, std::string>> jobs;   // (priority, what): 0 before 1
//   jobs.put_nowait({2, "backup"});
//   jobs.put_nowait({0, "page the on-call"});
//   co_await jobs.get();                                   // {0, "page the on-call"}
//
// "Smallest" by Compare, std::less<T> by default, as Python's heapq: the opposite of
// std::priority_queue, whose top is the *largest* by its Compare.
//
// Ties: items that are equivalent under Compare (neither is smaller) come out in the order they
// were put in. asyncio's heap promises no order among equal priorities (the Python docs advise
// (priority, count, item) entries for that); aio numbers each entry as it arrives and breaks ties
// by that number (lessons/13-queues/cpython/priority_ties.py shows heapq's order).
//
// Everything else is BasicQueue's (aio/queue.hpp). The heap lives in a std::vector that grows by
// doubling and keeps its capacity.
#pragma once

#include <aio/not_implemented.hpp>
#include <aio/queue.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <utility>
#include <vector>

namespace aio {

/// A binary heap in the shape BasicQueue wants: pop() returns the smallest item, the oldest of
/// equal ones.
template <class T, class Compare = std::less<T>>
class PriorityStorage {
public:
  // ---- ex6: the other two orders ------------------------------------------------------------
  void push(T item);
  T pop();
  std::size_t size() const noexcept { return entries_.size(); }

private:
  struct Entry {
    T item;
    std::uint64_t arrival;  // breaks ties: the smaller comes out first
  };

  /// The heap order for the std heap algorithms, whose front is the entry that no other
  /// "comes out after": so the front is the smallest item, and among equals the first to come.
  bool comes_out_after(const Entry& a, const Entry& b) const {
    if (compare_(b.item, a.item)) return true;
    if (compare_(a.item, b.item)) return false;
    return a.arrival > b.arrival;
  }

  std::vector<Entry> entries_;
  std::uint64_t arrivals_ = 0;
  [[no_unique_address]] Compare compare_{};
};

// book:priority
template <class T, class Compare>
void PriorityStorage<T, Compare>::push(T item) {
  entries_.push_back(Entry{std::move(item), arrivals_++});
  std::push_heap(entries_.begin(), entries_.end(),
                 [this](const Entry& a, const Entry& b) { return comes_out_after(a, b); });
}

template <class T, class Compare>
T PriorityStorage<T, Compare>::pop() {
  std::pop_heap(entries_.begin(), entries_.end(),
                [this](const Entry& a, const Entry& b) { return comes_out_after(a, b); });
  T item = std::move(entries_.back().item);
  entries_.pop_back();
  return item;
}
// end book:priority

/// asyncio.PriorityQueue: get() returns the smallest item by Compare; equal ones in the order
/// they came.
template <class T, class Compare = std::less<T>>
class PriorityQueue : public BasicQueue<T, PriorityStorage<T, Compare>> {
public:
  using BasicQueue<T, PriorityStorage<T, Compare>>::BasicQueue;
};

}  // namespace aio
