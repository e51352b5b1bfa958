// aio::detail::TimerHeap: the loop's timers, earliest first.
//
// A binary min-heap ordered by (deadline, sequence number): two timers due at the same instant
// fire in the order they were pushed. The timers themselves (TimerNodes) live elsewhere: inside a
// sleeping coroutine's frame, for aio::sleep; inside the call's state, for call_later. A node can
// leave the heap in O(log n) when its sleep is cancelled, with no allocation and no "cancelled"
// tombstone left behind.
//
// The array is the tree: the children of the slot at index i sit at 2i+1 and 2i+2, its parent
// at (i-1)/2, and every slot is due no later than its children, so the earliest timer is at 0.
//
//   push    put the new timer in the last slot and let it rise  (sift_up)     O(log n)
//   pop     take slot 0, move the last slot there and let it sink (sift_down) O(log n)
//   remove  the same from any slot; the moved slot may rise or sink            O(log n)
//   pop_due every timer due by a time, earliest first: pops, or for a big batch one sort
//
// Where the memory goes, which decides the speed with 100,000 sleeping tasks
// (benchmarks/workloads.cpp, W4_timers):
//   - Each slot holds a copy of its timer's deadline and sequence number, so comparing two
//     timers reads only the array, never a node.
//   - To remove a timer from the middle, the heap must know where its slot is. Each timer in the
//     heap has a small id, and two tables indexed by id say which node it is and where its slot
//     is. Every move of a slot updates its entry in the table of positions: a dense array, which
//     stays in the cache. (Writing the position into the node instead would touch a different
//     coroutine frame at every level of every sift, and costs W4 a tenth of its time or more.)
//
// asyncio keeps a plain heapq of TimerHandles instead: a cancelled handle stays in the heap
// until it reaches the top (or until more than half the heap is cancelled, when asyncio rebuilds
// it). Knowing where each timer is lets us remove it at once.
//
// Your exercise in this file (run it with: ctest --preset learn -R l04.ex3):
//   l04.ex3  TimerHeap::sift_up and TimerHeap::sift_down: keep the earliest timer at the top
// ([[maybe_unused]] only silences a warning until you write the bodies.)
#pragma once

#include <aio/clock.hpp>
#include <aio/not_implemented.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <vector>

namespace aio::detail {

/// One timer. Its owner keeps it alive until it fires or leaves the heap.
struct TimerNode {
  static constexpr std::uint32_t no_id = UINT32_MAX;

  void (*fire)(TimerNode*) = nullptr;  // called from the ready queue once the timer is due
  std::uint32_t id = no_id;  // its entry in the heap's tables, given by the latest push; the heap
                             // does not clear it when the timer leaves (see contains())
};

class TimerHeap {
public:
  TimerHeap() = default;
  // The nodes hold ids into this heap's tables; a copy would lie to them.
  TimerHeap(const TimerHeap&) = delete;
  TimerHeap& operator=(const TimerHeap&) = delete;

  bool empty() const noexcept { return slots_.empty(); }
  std::size_t size() const noexcept { return slots_.size(); }
  /// The earliest timer; the heap must not be empty.
  TimerNode* top() const noexcept { return nodes_[slots_.front().id]; }
  /// When the earliest timer is due; the heap must not be empty.
  Duration top_when() const noexcept { return slots_.front().when; }

  /// True while `node` is in the heap. A node that left keeps its old id, which is either free
  /// or given to another node by now: the table says which. (Clearing the id when a timer is
  /// popped would write to the node, likely a cold cache line, on the loop's hottest path.)
  bool contains(const TimerNode& node) const noexcept {
    return node.id < nodes_.size() && nodes_[node.id] == &node;
  }

  /// Adds `node`, due at `when`. Timers due at the same time leave in the order they came.
  void push(TimerNode* node, Duration when) {
    const std::uint32_t id = take_id(node);  // may throw (no memory): nothing changed
    try {
      slots_.push_back({when, next_sequence_, id});
      positions_[id] = static_cast<std::uint32_t>(slots_.size() - 1);
      sift_up(slots_.size() - 1);
    } catch (...) {
      // Out of memory, or sift_up is still an exercise stub (which throws before moving
      // anything): the heap must not keep a timer whose owner is about to give up on it.
      if (!slots_.empty() && slots_.back().id == id) slots_.pop_back();
      release_id(id);
      throw;
    }
    ++next_sequence_;
  }

  /// Takes the earliest timer out of the heap and returns it; the heap must not be empty.
  TimerNode* pop() {
    TimerNode* first = top();
    remove_slot(0);  // not remove(first): that would read the node, likely not in the cache
    return first;
  }

  // book:pop-due
  /// Takes out every timer due by `now`, earliest first, and calls `each(node)` for each.
  ///
  /// Popping k timers one by one costs k walks down the tree, and each step down is a load that
  /// waits for the one before it. When a loop falls behind, thousands of timers can be due at
  /// once (W4_timers: all 100,000 of them), and sorting them in one go is about twice as fast: so
  /// past `bulk_after` pops, if more are still due, the rest go in bulk. Same order either way.
  template <class F>
  void pop_due(Duration now, F each) {
    for (std::size_t popped = 0; !empty() && top_when() <= now; ++popped) {
      if (popped == bulk_after && size() >= bulk_min_size) {
        pop_due_in_bulk(now, each);
        return;
      }
      each(top());  // first: should it throw, the timer stays in the heap
      pop();
    }
  }
  // end book:pop-due

  /// Takes `node` out of the heap, wherever it is; it must be in it (contains(node)).
  void remove(TimerNode* node) { remove_slot(positions_[node->id]); }

  /// Empties the heap, calling `each(node)` for every node still in it (in no particular order).
  /// For the loop's destructor: it touches nothing but the tables, so it can never throw.
  template <class F>
  void clear(F each) noexcept {
    for (const Slot& slot : slots_) {
      TimerNode* node = nodes_[slot.id];
      release_id(slot.id);
      each(node);
    }
    slots_.clear();
  }

private:
  static constexpr std::size_t bulk_after = 1024;
  static constexpr std::size_t bulk_min_size = 8192;

  /// A slot of the array: a timer's id and a copy of its sort key.
  struct Slot {
    Duration when;
    std::uint64_t sequence;
    std::uint32_t id;
  };

  /// The heap's order: the earlier deadline first, and for equal deadlines the earlier push.
  static bool earlier(const Slot& a, const Slot& b) noexcept {
    return a.when < b.when || (a.when == b.when && a.sequence < b.sequence);
  }

  /// Writes `slot` at index `at`, and records where its timer now is.
  void place(const Slot& slot, std::size_t at) noexcept {
    slots_[at] = slot;
    positions_[slot.id] = static_cast<std::uint32_t>(at);
  }

  // book:heap-remove
  /// Takes the timer in slot `at` out of the heap.
  void remove_slot(std::size_t at) {
    release_id(slots_[at].id);
    const Slot last = slots_.back();
    slots_.pop_back();
    if (at == slots_.size()) return;  // it was the last slot: nothing to fill
    place(last, at);                  // fill the hole with the last slot: it may belong higher or lower
    sift_down(at);
    sift_up(positions_[last.id]);
  }
  // end book:heap-remove

  // book:sift
  /// The slot at `at` may be earlier than its parent: move it up until it is not. Parents move
  /// down into the hole it leaves, so each step is one write instead of a swap.
  void sift_up([[maybe_unused]] std::size_t at) {
    AIO_TODO("l04.ex3", "move the slot up past every later parent, writing each move with "
                        "place() (see 'The timer heap: keys inline, positions aside')");
  }

  /// The slot at `at` may be later than one of its children: move it down, each time below the
  /// earlier of its two children, until it is earlier than both.
  void sift_down([[maybe_unused]] std::size_t at) {
    AIO_TODO("l04.ex3", "move the slot down below its earlier child while that child is earlier, "
                        "with place() (see 'The timer heap: keys inline, positions aside')");
  }
  // end book:sift

  // The bulk path of pop_due: the due slots move to the front of the array and are sorted; each
  // one is handed to `each`; then they leave, and the rest is made a heap again. If `each` throws,
  // the timers it has not seen stay in the heap.
  template <class F>
  void pop_due_in_bulk(Duration now, F each) {
    const auto due_end =
        std::partition(slots_.begin(), slots_.end(), [now](const Slot& slot) { return slot.when <= now; });
    // (A lambda rather than `earlier` itself: a function pointer would not be inlined.)
    std::sort(slots_.begin(), due_end, [](const Slot& a, const Slot& b) { return earlier(a, b); });
    const auto due = static_cast<std::size_t>(due_end - slots_.begin());
    std::size_t delivered = 0;
    try {
      for (; delivered < due; ++delivered) each(nodes_[slots_[delivered].id]);
    } catch (...) {
      remove_first(delivered);
      throw;
    }
    remove_first(delivered);
  }

  // Removes the first `count` slots, whatever the order of the array, and rebuilds the heap
  // from the others (Floyd's method: sift down every parent, the last one first; O(n)).
  void remove_first(std::size_t count) {
    for (std::size_t i = 0; i < count; ++i) release_id(slots_[i].id);
    slots_.erase(slots_.begin(), slots_.begin() + static_cast<std::ptrdiff_t>(count));
    for (std::size_t i = 0; i < slots_.size(); ++i) positions_[slots_[i].id] = static_cast<std::uint32_t>(i);
    for (std::size_t parent = slots_.size() / 2; parent-- > 0;) sift_down(parent);
  }

  // Ids are recycled. A free id's entry in positions_ holds the next free id (a free list kept
  // inside the table), so giving an id back never allocates.
  std::uint32_t take_id(TimerNode* node) {
    std::uint32_t id = free_id_;
    if (id != TimerNode::no_id) {
      free_id_ = positions_[id];
    } else {
      if (nodes_.size() >= TimerNode::no_id) throw std::length_error("aio: too many timers");
      id = static_cast<std::uint32_t>(nodes_.size());
      positions_.resize(nodes_.size() + 1);
      nodes_.push_back(nullptr);
    }
    nodes_[id] = node;
    node->id = id;
    return id;
  }

  void release_id(std::uint32_t id) noexcept {
    nodes_[id] = nullptr;
    positions_[id] = free_id_;
    free_id_ = id;
  }

  std::vector<Slot> slots_;                // the heap itself
  std::vector<TimerNode*> nodes_;          // by id: the node
  std::vector<std::uint32_t> positions_;   // by id: the index of its slot (or the next free id)
  std::uint32_t free_id_ = TimerNode::no_id;
  std::uint64_t next_sequence_ = 0;
};

}  // namespace aio::detail
