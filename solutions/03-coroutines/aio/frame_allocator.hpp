// aio::detail::FrameAllocator: recycles the memory of coroutine frames and tasks.
//
// A concurrent program creates and destroys coroutine frames and tasks at a high rate, in a few
// sizes only. Each size class (multiples of 16 bytes, up to 1 KiB) keeps the blocks it gets back
// in a free list of its own thread, so most allocations are two pointer moves on memory that is
// still in the cache, instead of a trip through malloc. Larger blocks go straight to operator new.
//
// The trade-off, in the open: blocks are kept for reuse and only returned to the system when the
// thread ends, so a thread keeps the memory of its busiest moment. benchmarks/03-coroutines.cpp
// measures what this saves.
//
// Under AddressSanitizer a block on a free list is poisoned (except while the allocator itself
// reads or writes its link), so that a frame used after its destruction, or destroyed twice, is
// still reported, as it would be with plain new and delete.
#pragma once

#include <cstddef>
#include <new>
#include <utility>

#if defined(__SANITIZE_ADDRESS__)
#define AIO_FRAME_ALLOCATOR_POISONS 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define AIO_FRAME_ALLOCATOR_POISONS 1
#endif
#endif
#ifdef AIO_FRAME_ALLOCATOR_POISONS
#include <sanitizer/asan_interface.h>
#endif

namespace aio::detail {

/// Marks memory that the runtime keeps for reuse as off limits, so that AddressSanitizer reports
/// a use of it as it would a use after free; does nothing in other builds.
inline void poison_memory([[maybe_unused]] void* block, [[maybe_unused]] std::size_t size) noexcept {
#ifdef AIO_FRAME_ALLOCATOR_POISONS
  ASAN_POISON_MEMORY_REGION(block, size);
#endif
}

/// Gives memory marked by poison_memory back to its owner.
inline void unpoison_memory([[maybe_unused]] void* block, [[maybe_unused]] std::size_t size) noexcept {
#ifdef AIO_FRAME_ALLOCATOR_POISONS
  ASAN_UNPOISON_MEMORY_REGION(block, size);
#endif
}

class FrameAllocator {
public:
  static void* allocate(std::size_t size) {
    if (size > largest) return ::operator new(size);
    Block*& head = local().free_[size_class(size)];
    if (head == nullptr) return ::operator new(rounded(size));
    Block* block = head;
    unpoison(block, rounded(size));
    head = block->next;
    return block;
  }

  static void deallocate(void* memory, std::size_t size) noexcept {
    if (size > largest) {
      ::operator delete(memory);
      return;
    }
    Block*& head = local().free_[size_class(size)];
    head = ::new (memory) Block{head};
    poison(head, rounded(size));
  }

  FrameAllocator() = default;
  FrameAllocator(const FrameAllocator&) = delete;
  FrameAllocator& operator=(const FrameAllocator&) = delete;
  ~FrameAllocator() {
    for (Block*& head : free_) {
      while (head != nullptr) {
        unpoison(head, sizeof(Block));
        ::operator delete(std::exchange(head, head->next));
      }
    }
  }

private:
  struct Block {
    Block* next;
  };

  // Fine classes waste little: a 136-byte frame takes 144 bytes, not 192. With 100,000 sleeping
  // tasks that is 5 MB less to pull through the caches (W4_timers in benchmarks/workloads.cpp).
  static constexpr std::size_t granule = 16;
  static constexpr std::size_t classes = 64;
  static constexpr std::size_t largest = granule * classes;

  static std::size_t size_class(std::size_t size) noexcept { return (size - 1) / granule; }
  static std::size_t rounded(std::size_t size) noexcept { return (size_class(size) + 1) * granule; }

  // A block on a free list is off limits to everyone but the allocator (AddressSanitizer only).
  static void poison(void* block, std::size_t size) noexcept { poison_memory(block, size); }
  static void unpoison(void* block, std::size_t size) noexcept { unpoison_memory(block, size); }

  static FrameAllocator& local() noexcept {
    thread_local FrameAllocator allocator;
    return allocator;
  }

  Block* free_[classes] = {};
};

}  // namespace aio::detail
