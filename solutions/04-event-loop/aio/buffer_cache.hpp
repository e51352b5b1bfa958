// aio::detail::BufferCache: the runtime's big arrays, kept on their thread for the next run.
//
// Why. A run that schedules 200,000 tasks at once needs a ready queue of 262,144 slots (4 MiB)
// and a gather of 200,000 children (8 MB of listeners). glibc hands a block that large back to
// the kernel when it is freed (munmap, or a trim of the heap's top), so the next run touches
// fresh pages, and each first touch of a 4 KiB page is a page fault: a trip into the kernel that
// maps and zeroes it. Measured on W1_spawn_gather (benchmarks/workloads.cpp) before this cache:
// about 4,400 faults per run, 17 MB mapped again every time. The frame allocator
// (aio/frame_allocator.hpp) already keeps the frames and tasks; this keeps the arrays.
//
// What. take(bytes) hands out a block of bit_ceil(bytes) bytes: the same size class for every
// request between two powers of two, so a block given back fits the next request of its class
// exactly. Blocks under 64 KiB are not worth keeping (malloc serves them from memory it keeps
// anyway) and go straight to operator new and delete.
//
// The bound. At most `slots` blocks and `budget` bytes per thread; giving back beyond that
// frees the oldest blocks first. 32 MiB holds W1's arrays twice over (the ready queue of 4 MiB
// and gather's 8 MiB), and a burst larger than that spends far more time on its own work than
// on the faults of mapping its arrays again: so a burst pins at most 32 MiB, never more.
// The cache is emptied when its thread ends.
#pragma once

#include <aio/frame_allocator.hpp>  // poison_memory: kept blocks are off limits under ASan

#include <bit>
#include <cstddef>
#include <new>
#include <type_traits>
#include <utility>

namespace aio::detail {

class BufferCache {
public:
  static constexpr std::size_t worth_keeping = std::size_t{64} << 10;  // 64 KiB
  static constexpr std::size_t budget = std::size_t{32} << 20;         // 32 MiB per thread
  static constexpr std::size_t slots = 16;

  /// The size of the block that take(bytes) returns.
  static std::size_t block_size(std::size_t bytes) noexcept {
    return bytes < worth_keeping ? bytes : std::bit_ceil(bytes);
  }

  /// A block of block_size(bytes) bytes, aligned for any type; a kept one if there is one.
  static void* take(std::size_t bytes) {
    const std::size_t size = block_size(bytes);
    if (size >= worth_keeping && !ended()) {
      if (void* kept = local().take_kept(size)) return kept;
    }
    return ::operator new(size);
  }

  /// True if take(bytes) would now hand out a kept block rather than fresh memory.
  static bool keeps(std::size_t bytes) noexcept {
    const std::size_t size = block_size(bytes);
    if (size < worth_keeping || ended()) return false;
    const BufferCache& cache = local();
    for (std::size_t i = 0; i < cache.count_; ++i) {
      if (cache.kept_[i].size == size) return true;
    }
    return false;
  }

  /// Gives back a block from take(bytes), with the same `bytes`.
  static void give_back(void* block, std::size_t bytes) noexcept {
    if (block == nullptr) return;
    const std::size_t size = block_size(bytes);
    if (size < worth_keeping || size > budget || ended()) {
      ::operator delete(block);
      return;
    }
    local().keep(block, size);
  }

  BufferCache() = default;
  BufferCache(const BufferCache&) = delete;
  BufferCache& operator=(const BufferCache&) = delete;
  ~BufferCache() {
    for (std::size_t i = 0; i < count_; ++i) free_block(kept_[i]);
    ended() = true;  // a loop destroyed later on this thread frees its arrays directly
  }

private:
  struct Kept {
    void* block;
    std::size_t size;
  };

  void* take_kept(std::size_t size) noexcept {
    for (std::size_t i = count_; i-- > 0;) {  // newest first: the likeliest to be in the cache
      if (kept_[i].size != size) continue;
      void* block = kept_[i].block;
      unpoison_memory(block, size);
      erase(i);
      return block;
    }
    return nullptr;
  }

  void keep(void* block, std::size_t size) noexcept {
    while (count_ > 0 && (count_ == slots || bytes_ + size > budget)) {
      free_block(kept_[0]);  // the oldest
      erase(0);
    }
    poison_memory(block, size);  // off limits while kept, like a free frame
    kept_[count_++] = {block, size};
    bytes_ += size;
  }

  void erase(std::size_t i) noexcept {
    bytes_ -= kept_[i].size;
    for (; i + 1 < count_; ++i) kept_[i] = kept_[i + 1];
    --count_;
  }

  static void free_block(Kept kept) noexcept {
    unpoison_memory(kept.block, kept.size);
    ::operator delete(kept.block);
  }

  static BufferCache& local() noexcept {
    thread_local BufferCache cache;
    return cache;
  }
  /// True once this thread's cache is destroyed (a plain flag: it outlives every object).
  static bool& ended() noexcept {
    thread_local bool flag = false;
    return flag;
  }

  Kept kept_[slots] = {};
  std::size_t count_ = 0;
  std::size_t bytes_ = 0;
};

/// A std::vector allocator whose big arrays come from the BufferCache (the ready queue's ring).
template <class T>
struct CachedAllocator {
  using value_type = T;

  CachedAllocator() noexcept = default;
  template <class U>
  CachedAllocator(const CachedAllocator<U>&) noexcept {}  // NOLINT: rebinding converts

  T* allocate(std::size_t n) { return static_cast<T*>(BufferCache::take(n * sizeof(T))); }
  void deallocate(T* p, std::size_t n) noexcept { BufferCache::give_back(p, n * sizeof(T)); }

  // vector<T>(n) would zero every new element; these are left as `new T` leaves them. The ring
  // never reads a slot it has not written, and zeroing 262,144 slots (4 MiB) costs a loop that
  // reuses a kept array half a millisecond for nothing.
  template <class U>
  void construct(U* p) noexcept(std::is_nothrow_default_constructible_v<U>) {
    ::new (static_cast<void*>(p)) U;
  }
  template <class U, class... Args>
  void construct(U* p, Args&&... args) {
    ::new (static_cast<void*>(p)) U(std::forward<Args>(args)...);
  }

  template <class U>
  bool operator==(const CachedAllocator<U>&) const noexcept { return true; }
};

}  // namespace aio::detail
