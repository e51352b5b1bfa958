// aio::detail::ByteBuffer: the bytes a stream has received and not yet handed out, or has been
// given and not yet sent. Python's bytearray with `del buffer[:n]`, without moving the rest of
// the bytes on every consume: they live between begin_ and end_ of one array, and move to the
// front only when the free room at the back runs out.
#pragma once

#include <cstddef>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <string_view>

namespace aio::detail {

class ByteBuffer {
public:
  std::size_t size() const noexcept { return end_ - begin_; }
  bool empty() const noexcept { return begin_ == end_; }
  std::string_view view() const noexcept { return {data_.get() + begin_, size()}; }

  /// Room for at least `n` more bytes at the back, to receive into; commit(k) keeps k of them.
  std::span<char> prepare(std::size_t n) {
    if (capacity_ - end_ < n) make_room(n);
    return {data_.get() + end_, capacity_ - end_};
  }
  void commit(std::size_t n) noexcept { end_ += n; }

  void append(std::string_view bytes) {
    std::span<char> room = prepare(bytes.size());
    if (!bytes.empty()) std::memcpy(room.data(), bytes.data(), bytes.size());
    commit(bytes.size());
  }

  /// Drops the first `n` bytes.
  void consume(std::size_t n) noexcept {
    begin_ += n;
    if (begin_ == end_) begin_ = end_ = 0;  // empty: the next bytes start at the front again
  }
  /// Takes the first `n` bytes out.
  std::string take(std::size_t n) {
    std::string bytes(view().substr(0, n));
    consume(bytes.size());
    return bytes;
  }
  void clear() noexcept { begin_ = end_ = 0; }

private:
  void make_room(std::size_t n) {
    const std::size_t used = size();
    if (capacity_ - used >= n && begin_ >= capacity_ / 2) {
      // Enough room once the bytes move to the front, and most of the array is free: move them.
      std::memmove(data_.get(), data_.get() + begin_, used);
    } else {
      std::size_t capacity = capacity_ == 0 ? 4096 : capacity_;
      while (capacity - used < n) capacity *= 2;
      auto bigger = std::make_unique_for_overwrite<char[]>(capacity);
      if (used != 0) std::memcpy(bigger.get(), data_.get() + begin_, used);
      data_ = std::move(bigger);
      capacity_ = capacity;
    }
    begin_ = 0;
    end_ = used;
  }

  std::unique_ptr<char[]> data_;
  std::size_t capacity_ = 0;
  std::size_t begin_ = 0;
  std::size_t end_ = 0;
};

}  // namespace aio::detail
