// aio::detail::TimerHeap: the loop's timers, earliest first.
//
// A binary min-heap ordered by (deadline, sequence number): two timers due at the same instant
// fire in the order they were scheduled, as in asyncio. The heap holds pointers to TimerNodes
// that live elsewhere (inside a sleeping coroutine's frame, for aio::sleep), and each node
// remembers its index in the heap, so a timer can leave the heap in O(log n) when its sleep is
// cancelled, with no allocation and no "cancelled" tombstones left behind.
#pragma once

#include <aio/clock.hpp>

#include <cstddef>
#include <cstdint>
#include <vector>

namespace aio::detail {

struct TimerNode {
  static constexpr std::size_t not_in_heap = static_cast<std::size_t>(-1);

  Duration when{0};
  std::uint64_t sequence = 0;
  std::size_t heap_index = not_in_heap;
  void (*fire)(TimerNode*) = nullptr;  // called from the ready queue once the timer is due

  bool in_heap() const noexcept { return heap_index != not_in_heap; }
};

class TimerHeap {
public:
  bool empty() const noexcept { return nodes_.empty(); }
  std::size_t size() const noexcept { return nodes_.size(); }
  TimerNode* top() const noexcept { return nodes_.front(); }

  void push(TimerNode* node) {
    node->heap_index = nodes_.size();
    nodes_.push_back(node);
    sift_up(node->heap_index);
  }

  TimerNode* pop() noexcept {
    TimerNode* first = nodes_.front();
    remove(first);
    return first;
  }

  /// Takes `node` out of the heap; it must be in it.
  void remove(TimerNode* node) noexcept {
    const std::size_t at = node->heap_index;
    TimerNode* last = nodes_.back();
    nodes_.pop_back();
    node->heap_index = TimerNode::not_in_heap;
    if (last == node) return;
    place(last, at);
    sift_down(at);
    sift_up(last->heap_index);
  }

private:
  static bool earlier(const TimerNode* a, const TimerNode* b) noexcept {
    return a->when != b->when ? a->when < b->when : a->sequence < b->sequence;
  }

  void place(TimerNode* node, std::size_t at) noexcept {
    nodes_[at] = node;
    node->heap_index = at;
  }

  void sift_up(std::size_t at) noexcept {
    TimerNode* node = nodes_[at];
    while (at > 0) {
      const std::size_t parent = (at - 1) / 2;
      if (!earlier(node, nodes_[parent])) break;
      place(nodes_[parent], at);
      at = parent;
    }
    place(node, at);
  }

  void sift_down(std::size_t at) noexcept {
    TimerNode* node = nodes_[at];
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

  std::vector<TimerNode*> nodes_;
};

}  // namespace aio::detail
