// Lesson 14, demo 2: a streaming search, as a service that answers with Server-Sent Events.
// The search is an async generator: it builds its context, runs the map phase over the
// context's chunks at once (gather), yields the context record first, then streams the reduced
// answers one by one as a second async generator produces them. The consumer formats each
// value as one SSE event ("data: ..." and a blank line), ready for the server of a later lesson;
// a comment line (": ...") before each event says when it was sent. mirror_search.py is the
// same program in Python; both print the same lines.
#include <aio/async_generator.hpp>
#include <aio/gather.hpp>
#include <aio/run.hpp>
#include <aio/sleep.hpp>

#include <chrono>
#include <cstddef>
#include <cstdio>
#include <exception>
#include <string>
#include <utility>
#include <vector>

using namespace std::chrono_literals;

namespace {

std::string now() { return aio::format_seconds(aio::get_running_loop().time()); }

struct Context {
  std::vector<std::string> chunks;
  std::string record;
};

Context build_context(const std::string& query) {
  return {{"intro", "methods", "results"}, "context: 3 chunks for '" + query + "'"};
}

/// The map phase for one chunk: a model call that takes a second or so.
aio::Coro<std::string> map_chunk(std::string chunk, std::string query) {
  co_await aio::sleep(chunk == "methods" ? 1500ms : 1s);
  co_return chunk + " mentions '" + query + "'";
}

/// The reduce phase, streamed: one answer every half second.
aio::AsyncGenerator<std::string> stream_reduce(std::vector<std::string> partials) {
  for (std::string& partial : partials) {
    co_await aio::sleep(500ms);
    co_yield "summary of " + std::move(partial);
  }
}

// book:search
aio::AsyncGenerator<std::string> stream_search(std::string query) {
  Context context = build_context(query);
  std::printf(": %s map phase starts over %zu chunks\n", now().c_str(), context.chunks.size());
  std::vector<aio::Coro<std::string>> calls;
  for (const std::string& chunk : context.chunks) calls.push_back(map_chunk(chunk, query));
  std::vector<std::string> partials = co_await aio::gather(std::move(calls));
  std::printf(": %s map phase done\n", now().c_str());

  co_yield context.record;  // the context first, before any answer
  auto answers = stream_reduce(std::move(partials));
  while (auto answer = co_await answers.next()) co_yield std::move(*answer);
}
// end book:search

// book:sse
/// One Server-Sent Event: a `data:` line per line of text, then a blank line.
std::string sse_event(const std::string& text) {
  std::string event;
  std::size_t start = 0;
  for (;;) {
    const std::size_t end = text.find('\n', start);
    event += "data: " + text.substr(start, end - start) + "\n";
    if (end == std::string::npos) break;
    start = end + 1;
  }
  return event + "\n";
}

aio::Coro<void> serve(std::string query) {
  auto events = stream_search(query);
  while (auto text = co_await events.next()) {
    std::printf(": sent at %s s\n%s", now().c_str(), sse_event(*text).c_str());
  }
  std::printf(": %s stream closed\n", now().c_str());
}
// end book:sse

}  // namespace

int main() {
  try {
    aio::run(serve("async generators"));
  } catch (const std::exception& error) {  // an exercise not written yet, for instance
    std::fprintf(stderr, "%s\n", error.what());
    return 1;
  }
}
