// aio::write_file, aio::read_file, aio::read_chunks: files through the thread pool (what the
// Python package aiofiles does).
//
//   co_await aio::write_file("a.txt", "alpha\n");
//   std::string text = co_await aio::read_file("a.txt");
//   auto chunks = aio::read_chunks("big.log", 64 * 1024);
//   while (auto chunk = co_await chunks.next()) count_lines(*chunk);
//
// Linux has no readiness for regular files: poll() and epoll say a file is always ready, and
// read() blocks on the disk anyway. So asyncio has no file I/O of its own, and aiofiles sends
// every call to a thread. aio does the same with to_thread: each open, read and write is one
// blocking call in the default executor, and the loop keeps running other tasks meanwhile.
//
// Errors: a file that cannot be opened raises std::system_error with the errno (Python raises
// FileNotFoundError / PermissionError, both OSError), in the awaiting coroutine.
#pragma once

#include <aio/async_generator.hpp>
#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/not_implemented.hpp>
#include <aio/run_in_executor.hpp>

#include <cerrno>
#include <cstddef>
#include <cstdio>
#include <memory>
#include <string>
#include <system_error>
#include <utility>

namespace aio {

/// An open file; closed when the last copy goes.
using File = std::shared_ptr<std::FILE>;

namespace detail {

// The blocking calls, each run in a worker thread by to_thread.

inline File open_file(std::string path, std::string mode) {
  std::FILE* file = std::fopen(path.c_str(), mode.c_str());
  if (file == nullptr) throw std::system_error(errno, std::generic_category(), "cannot open '" + path + "'");
  return File(file, [](std::FILE* f) { std::fclose(f); });
}

/// Up to `size` bytes from where the file is; empty at the end of the file.
inline std::string read_some(File file, std::size_t size) {
  std::string chunk(size, '\0');
  chunk.resize(std::fread(chunk.data(), 1, size, file.get()));
  if (std::ferror(file.get())) throw std::system_error(EIO, std::generic_category(), "read failed");
  return chunk;
}

inline void write_all(File file, std::string data) {
  if (std::fwrite(data.data(), 1, data.size(), file.get()) != data.size() || std::fflush(file.get()) != 0) {
    throw std::system_error(errno, std::generic_category(), "write failed");
  }
}

inline std::string read_whole(std::string path) {
  File file = open_file(std::move(path), "rb");
  std::string text;
  for (std::string chunk; !(chunk = read_some(file, 64 * 1024)).empty();) text += chunk;
  return text;
}

inline void write_whole(std::string path, std::string data) { write_all(open_file(std::move(path), "wb"), std::move(data)); }

}  // namespace detail

/// Writes `data` to the file at `path`, replacing it, in one worker thread call.
inline Coro<void> write_file(std::string path, std::string data) {
  co_await to_thread(&detail::write_whole, std::move(path), std::move(data));
}

/// The whole file at `path`, read in one worker thread call.
inline Coro<std::string> read_file(std::string path) {
  co_return co_await to_thread(&detail::read_whole, std::move(path));
}

// book:read-chunks
/// The file at `path`, `size` bytes at a time (the last chunk may be shorter), each read in a
/// worker thread: between two chunks, the loop runs other tasks.
inline AsyncGenerator<std::string> read_chunks([[maybe_unused]] std::string path, [[maybe_unused]] std::size_t size) {
  AIO_TODO("l16.ex4", "open in a thread, then read one chunk per thread call and yield it, until an empty chunk (see 'Step 5: files through the pool')");
}
// end book:read-chunks

}  // namespace aio
