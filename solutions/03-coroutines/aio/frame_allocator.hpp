// aio::detail::FrameAllocator: recycles the memory of coroutine frames and tasks.
//
// A concurrent program creates and destroys coroutine frames and tasks at a high rate, in a few
// sizes only. Each size class (multiples of 16 bytes, up to 1 KiB) keeps the blocks it gets back
// in a free list of its own thread, so most allocations are two pointer moves on memory that is
// still in the cache, instead of a trip through malloc. Larger blocks go straight to operator new.
//
// A size class that has no block to reuse cuts new ones, back to back, from a chunk of 64 KiB
// aligned to a cache line. From malloc, two 64-byte blocks lie 80 bytes apart (it keeps 16 bytes
// of its own between them), so a block starts anywhere in a line: a 64-byte frame straddles two
// lines three times out of four, and a 128-byte task spans three unless it starts one. From a
// chunk, a frame is one line and a task two. With 200,000 tasks alive, that is less memory to
// pull through the caches (W1_spawn_gather in benchmarks/workloads.cpp), and it matters most when
// another program on the machine takes the memory bandwidth.
//
// The trade-off, in the open: chunks belong to the process and are never returned to the system.
// A thread keeps the blocks it got back for reuse; when it ends, it leaves them in a pool that
// the next threads take from before they cut new chunks. So the memory the program holds is that
// of its busiest moment, all threads together, and no more. benchmarks/03-coroutines.cpp
// measures what recycling saves.
//
// Under AddressSanitizer each block is an allocation of its own, freed when its thread ends, so
// that an overflow from one frame into the next, or a frame that is never destroyed, is still
// reported; and a block on a free list is poisoned (except while the allocator itself reads or
// writes its link), so that a frame used after its destruction, or destroyed twice, is reported
// too, as it would be with plain new and delete.
#pragma once

#include <cstddef>
#include <mutex>
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
  /// False under AddressSanitizer, where each block is an allocation of its own (see the top).
  static constexpr bool cuts_chunks =
#ifdef AIO_FRAME_ALLOCATOR_POISONS
      false;
#else
      true;
#endif

  static void* allocate(std::size_t size) {
    if (size > largest) return ::operator new(size);
    std::size_t size_class = class_of(size);
    Block*& head = local().free_[size_class];
    if (head == nullptr) return local().new_block(size_class);
    Block* block = head;
    unpoison(block, block_size(size_class));
    head = block->next;
    return block;
  }

  static void deallocate(void* memory, std::size_t size) noexcept {
    if (size > largest) {
      ::operator delete(memory);
      return;
    }
    Block*& head = local().free_[class_of(size)];
    head = ::new (memory) Block{head};
    poison(head, block_size(class_of(size)));
  }

  FrameAllocator() = default;
  FrameAllocator(const FrameAllocator&) = delete;
  FrameAllocator& operator=(const FrameAllocator&) = delete;
  ~FrameAllocator() {
    if constexpr (!cuts_chunks) {
      for (Block*& head : free_) {
        while (head != nullptr) {
          unpoison(head, sizeof(Block));
          ::operator delete(std::exchange(head, head->next));
        }
      }
    } else {
      leave_to_pool();
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
  static constexpr std::size_t chunk_size = std::size_t{64} * 1024;
  static constexpr std::size_t cache_line = 64;

  static std::size_t class_of(std::size_t size) noexcept { return (size - 1) / granule; }
  static std::size_t block_size(std::size_t size_class) noexcept { return (size_class + 1) * granule; }

  // A block on a free list is off limits to everyone but the allocator (AddressSanitizer only).
  static void poison(void* block, std::size_t size) noexcept { poison_memory(block, size); }
  static void unpoison(void* block, std::size_t size) noexcept { unpoison_memory(block, size); }

  static FrameAllocator& local() noexcept {
    thread_local FrameAllocator allocator;
    return allocator;
  }

  /// The blocks that ended threads left behind, for the next threads to reuse.
  struct Pool {
    std::mutex mutex;
    Block* free[classes] = {};
  };
  static Pool& pool() noexcept {
    static Pool* shared = new Pool;  // never destroyed: threads may still end after static destruction
    return *shared;
  }

  /// A block for a class whose free list is empty: the next one of its chunk; when the chunk is
  /// used up, the blocks an ended thread left in the pool, or else a new chunk.
  void* new_block(std::size_t size_class) {
    if constexpr (!cuts_chunks) return ::operator new(block_size(size_class));
    std::size_t size = block_size(size_class);
    if (static_cast<std::size_t>(chunk_end_[size_class] - chunk_next_[size_class]) < size) {
      if (take_from_pool(size_class)) return allocate(size);
      auto* chunk = static_cast<char*>(::operator new(chunk_size, std::align_val_t{cache_line}));
      chunk_next_[size_class] = chunk;
      chunk_end_[size_class] = chunk + chunk_size;
    }
    return std::exchange(chunk_next_[size_class], chunk_next_[size_class] + size);
  }

  bool take_from_pool(std::size_t size_class) {
    std::lock_guard<std::mutex> lock(pool().mutex);
    free_[size_class] = std::exchange(pool().free[size_class], nullptr);
    return free_[size_class] != nullptr;
  }

  /// When the thread ends, each class's blocks go to the pool, in the order this thread would
  /// have used them: its free list, then what its chunk still had, then what the pool held.
  void leave_to_pool() noexcept {
    std::lock_guard<std::mutex> lock(pool().mutex);
    for (std::size_t size_class = 0; size_class < classes; ++size_class) {
      Block* rest = uncut_blocks(size_class, pool().free[size_class]);
      Block** tail = &free_[size_class];
      while (*tail != nullptr) tail = &(*tail)->next;
      *tail = rest;
      pool().free[size_class] = std::exchange(free_[size_class], nullptr);
    }
  }

  /// The part of a class's chunk that was not cut yet, cut into blocks, in front of `rest`.
  Block* uncut_blocks(std::size_t size_class, Block* rest) noexcept {
    if (chunk_next_[size_class] == nullptr) return rest;
    std::size_t size = block_size(size_class);
    for (std::size_t left = static_cast<std::size_t>(chunk_end_[size_class] - chunk_next_[size_class]) / size;
         left > 0; --left) {
      rest = ::new (chunk_next_[size_class] + (left - 1) * size) Block{rest};
    }
    chunk_next_[size_class] = chunk_end_[size_class];
    return rest;
  }

  Block* free_[classes] = {};
  char* chunk_next_[classes] = {};  // the part of each class's chunk not cut into blocks yet
  char* chunk_end_[classes] = {};
};

}  // namespace aio::detail
