// aio::detail::TimerHeap: the loop's timers, earliest first.
//
// A binary min-heap ordered by (deadline, sequence number): two timers due at the same instant
// fire in the order they were scheduled. The heap holds pointers to TimerNodes that live
// elsewhere (inside a sleeping coroutine's frame, for aio::sleep; inside the call's state, for
// call_later), and each node remembers its index in the heap, so a timer can leave the heap in
// O(log n) when its sleep is cancelled, with no allocation and no "cancelled" tombstone left
// behind.
//
// The array is the tree: the children of the node at index i sit at 2i+1 and 2i+2, its parent
// at (i-1)/2, and every node is due no later than its children, so the earliest timer is at 0.
//
//   push    put the new node in the last slot and let it rise   (sift_up)    O(log n)
//   pop     take slot 0, move the last node there and let it sink (sift_down) O(log n)
//   remove  the same from any slot; the moved node may rise or sink            O(log n)
//
// Each slot of the array keeps a copy of its node's deadline and sequence number, so comparing two
// timers reads only the array. With 100,000 sleeping tasks, following a pointer into a frame for
// every comparison would cost a cache miss per level; reading neighbouring slots costs almost
// nothing (benchmarks/workloads.cpp, W4_timers).
//
// asyncio keeps a plain heapq of TimerHandles instead: a cancelled handle stays in the heap
// until it reaches the top (or until more than half the heap is cancelled, when asyncio rebuilds
// it). Knowing each node's index is what lets us remove at once.
#pragma once

#include <aio/clock.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace aio::detail {

/// One timer on the heap. The owner keeps it alive until it fires or leaves the heap.
struct TimerNode {
  static constexpr std::size_t not_in_heap = static_cast<std::size_t>(-1);

  Duration when{0};                    // due at this time, on the loop's clock
  std::uint64_t sequence = 0;          // order of scheduling: breaks ties between equal deadlines
  std::size_t heap_index = not_in_heap;
  void (*fire)(TimerNode*) = nullptr;  // called from the ready queue once the timer is due

  bool in_heap() const noexcept { return heap_index != not_in_heap; }
};

class TimerHeap {
public:
  TimerHeap() = default;
  // The nodes point back into the heap by index; copies would lie to them.
  TimerHeap(const TimerHeap&) = delete;
  TimerHeap& operator=(const TimerHeap&) = delete;

  bool empty() const noexcept { return nodes_.empty(); }
  std::size_t size() const noexcept { return nodes_.size(); }
  /// The earliest timer; the heap must not be empty.
  TimerNode* top() const noexcept { return nodes_.front().node; }
  /// When the earliest timer is due, read from the array rather than from the node.
  Duration top_when() const noexcept { return nodes_.front().when; }

  /// Adds `node`, due at node->when (ties broken by node->sequence).
  void push(TimerNode* node) {
    nodes_.push_back({node->when, node->sequence, node});  // may throw (no memory): nothing changed
    node->heap_index = nodes_.size() - 1;
    try {
      sift_up(node->heap_index);
    } catch (...) {
      // sift_up cannot fail once written; while it is still an exercise stub it throws, and
      // the heap must not keep a pointer to a timer whose owner is about to give up on it.
      nodes_.pop_back();
      node->heap_index = TimerNode::not_in_heap;
      throw;
    }
  }

  /// Takes the earliest timer out of the heap and returns it; the heap must not be empty.
  TimerNode* pop() {
    TimerNode* first = nodes_.front().node;
    remove(first);
    return first;
  }

  // book:heap-remove
  /// Takes `node` out of the heap, wherever it is; it must be in it.
  void remove(TimerNode* node) {
    const std::size_t at = node->heap_index;
    const Slot last = nodes_.back();
    nodes_.pop_back();
    node->heap_index = TimerNode::not_in_heap;
    if (last.node == node) return;  // it was the last slot: nothing to fill
    place(last, at);                // fill the hole with the last node: it may belong higher or lower
    sift_down(at);
    sift_up(last.node->heap_index);
  }
  // end book:heap-remove

  /// Empties the heap, calling `each(node)` for every node still in it (in no particular order).
  /// For the loop's destructor: it touches nothing but the array, so it can never throw.
  template <class F>
  void clear(F each) noexcept {
    for (const Slot& slot : nodes_) {
      slot.node->heap_index = TimerNode::not_in_heap;
      each(slot.node);
    }
    nodes_.clear();
  }

private:
  /// A slot of the array: the node and a copy of its sort key.
  struct Slot {
    Duration when;
    std::uint64_t sequence;
    TimerNode* node;
  };

  /// The heap's order: the earlier deadline first, and for equal deadlines the earlier call.
  static bool earlier(const Slot& a, const Slot& b) noexcept {
    return a.when < b.when || (a.when == b.when && a.sequence < b.sequence);
  }

  void place(const Slot& slot, std::size_t at) noexcept {
    nodes_[at] = slot;
    slot.node->heap_index = at;
  }

  // book:sift
  /// The node at `at` may be earlier than its parent: move it up until it is not. Parents move
  /// down into the hole it leaves, so each step is one write instead of a swap.
  void sift_up(std::size_t at) {
    const Slot node = nodes_[at];
    while (at > 0) {
      const std::size_t parent = (at - 1) / 2;
      if (!earlier(node, nodes_[parent])) break;
      place(nodes_[parent], at);
      at = parent;
    }
    place(node, at);
  }

  /// The node at `at` may be later than one of its children: move it down, each time below the
  /// earlier of its two children, until it is earlier than both.
  void sift_down(std::size_t at) {
    const Slot node = nodes_[at];
    const std::size_t count = nodes_.size();
    for (;;) {
      std::size_t child = 2 * at + 1;
      if (child >= count) break;
      if (child + 1 < count && earlier(nodes_[child + 1], nodes_[child])) ++child;
      if (!earlier(nodes_[child], node)) break;
      place(nodes_[child], at);
      at = child;
    }
    place(node, at);
  }
  // end book:sift

  std::vector<Slot> nodes_;
};

}  // namespace aio::detail
