// Lesson 16's third program: files through the thread pool, as the Python package aiofiles
// does. Three files written at the same time, read back with gather; then a large file read in
// chunks by an async generator (lesson 14). mirror_files.py is the same program in asyncio; both
// print the same lines.
#include <aio/cancellation.hpp>
#include <aio/coro.hpp>
#include <aio/files.hpp>
#include <aio/gather.hpp>
#include <aio/run.hpp>

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <string>
#include <vector>

namespace {

// book:files
aio::Coro<void> main_coro() {
  const auto directory = std::filesystem::temp_directory_path() / ("aio-l16-" + std::to_string(::getpid()));
  std::filesystem::create_directories(directory);
  const std::vector<std::string> names = {"alpha.txt", "beta.txt", "gamma.txt"};
  std::vector<std::string> paths;
  for (const auto& name : names) paths.push_back((directory / name).string());

  std::printf("== three files written at the same time, then read back with gather\n");
  std::vector<aio::Coro<void>> writes;
  for (std::size_t i = 0; i < names.size(); ++i) {
    writes.push_back(aio::write_file(paths[i], names[i] + ": " + std::string(10 * (i + 1), 'x') + "\n"));
  }
  co_await aio::gather(std::move(writes));
  std::vector<aio::Coro<std::string>> reads;
  for (const auto& path : paths) reads.push_back(aio::read_file(path));
  const std::vector<std::string> texts = co_await aio::gather(std::move(reads));
  for (std::size_t i = 0; i < names.size(); ++i) {
    std::printf("%s: %zu bytes, starts with '%s'\n", names[i].c_str(), texts[i].size(), texts[i].substr(0, 10).c_str());
  }

  std::printf("== a large file in chunks of 64 KiB, through an async generator\n");
  const std::string big = (directory / "big.log").string();
  std::string lines;
  for (int n = 0; n < 20'000; ++n) lines += "line " + std::to_string(n) + ": status ok\n";
  co_await aio::write_file(big, lines);
  std::size_t chunks = 0, total = 0, newlines = 0;
  auto stream = aio::read_chunks(big, 64 * 1024);
  while (auto chunk = co_await stream.next()) {
    chunks += 1;
    total += chunk->size();
    newlines += static_cast<std::size_t>(std::count(chunk->begin(), chunk->end(), '\n'));
  }
  std::printf("%zu chunks, %zu bytes, %zu lines\n", chunks, total, newlines);

  std::filesystem::remove_all(directory);
}
// end book:files

}  // namespace

int main() { aio::run(main_coro()); }
