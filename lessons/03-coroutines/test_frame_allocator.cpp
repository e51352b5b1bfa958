// Tests for the recycling allocator that coroutine frames and tasks come from
// (aio/frame_allocator.hpp, given with the lesson: no exercise).
//
// Each test uses a size class of its own, so that it starts from an empty free list and a chunk
// that no other test has cut from.
#include <aio/frame_allocator.hpp>
#include <aio_test/catch.hpp>

#include <cstddef>
#include <cstdint>
#include <thread>

namespace {

using aio::detail::FrameAllocator;

std::uintptr_t address(const void* block) { return reinterpret_cast<std::uintptr_t>(block); }

}  // namespace

TEST_CASE("a block given back is the next one of its size class to come out", "[l03][allocator]") {
  void* first = FrameAllocator::allocate(200);
  FrameAllocator::deallocate(first, 200);
  void* again = FrameAllocator::allocate(193);  // 193 and 200 bytes are both in the 208-byte class
  CHECK(again == first);
  FrameAllocator::deallocate(again, 193);
}

TEST_CASE("new blocks are cut back to back from a chunk, a 64-byte frame on one cache line",
          "[l03][allocator]") {
  void* a = FrameAllocator::allocate(720);
  void* b = FrameAllocator::allocate(720);
  void* lines[4];
  for (void*& block : lines) block = FrameAllocator::allocate(64);
  if constexpr (FrameAllocator::cuts_chunks) {
    CHECK(address(b) == address(a) + 720);  // no header in between
    for (void* block : lines) CHECK(address(block) % 64 == 0);
  } else {
    // AddressSanitizer: each block is an allocation of its own, with a red zone after it, so
    // that a write past the end of one frame is reported instead of landing in the next.
    CHECK(address(b) != address(a) + 720);
  }
  for (void* block : lines) FrameAllocator::deallocate(block, 64);
  FrameAllocator::deallocate(b, 720);
  FrameAllocator::deallocate(a, 720);
}

TEST_CASE("a thread that ends leaves its blocks, and the rest of its chunk, to the next thread",
          "[l03][allocator]") {
  constexpr std::size_t size = 944;
  void* given_back = nullptr;
  std::thread([&] {
    given_back = FrameAllocator::allocate(size);
    FrameAllocator::deallocate(given_back, size);
  }).join();

  void* first = nullptr;
  void* second = nullptr;
  std::thread([&] {
    first = FrameAllocator::allocate(size);
    second = FrameAllocator::allocate(size);
    FrameAllocator::deallocate(second, size);
    FrameAllocator::deallocate(first, size);
  }).join();

  if constexpr (FrameAllocator::cuts_chunks) {
    CHECK(first == given_back);                       // the block the first thread gave back
    CHECK(address(second) == address(first) + size);  // then its chunk, where it left off
  } else {
    // AddressSanitizer: a thread frees its blocks when it ends (LeakSanitizer names any it
    // keeps), and the next thread gets new ones: no pool hands the first thread's block on.
    CHECK(first != nullptr);
    CHECK(first != given_back);
  }
}
