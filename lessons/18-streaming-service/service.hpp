// The streaming service of lesson 18, built from the lesson's pieces: the routes of the front
// server (the page, /stream, /search, /process) and of the two upstream "model" services.
// The tests, the demo and the benchmarks all start it from here.
//
//   GET  /                  the page: an EventSource that shows the streamed events
//   GET  /stream?prompt=    SSE: init, then per token a data and a progress event, then done
//   GET  /search?q=         SSE: a map phase over three shards (gathered), the context records,
//                           then the reduced results one by one, then done
//   POST /process?prompt=   the gateway: both models at once (fan_out), JSON with both answers
//   POST /generate?prompt=  (a model service) the answer's tokens, streamed as chunks
#pragma once

#include <aio/async_generator.hpp>
#include <aio/coro.hpp>
#include <aio/fan_out.hpp>
#include <aio/gather.hpp>
#include <aio/http_client.hpp>
#include <aio/http_message.hpp>
#include <aio/http_server.hpp>
#include <aio/sleep.hpp>
#include <aio/sse.hpp>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <utility>
#include <vector>

namespace service {

using namespace std::chrono_literals;
using Log = std::function<void(const std::string&)>;

/// The words of `text`, split at spaces.
inline std::vector<std::string> words(const std::string& text) {
  std::vector<std::string> out;
  std::size_t start = 0;
  while (start < text.size()) {
    std::size_t end = text.find(' ', start);
    if (end == std::string::npos) end = text.size();
    if (end > start) out.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return out;
}

// ---- the model services ------------------------------------------------------------------

/// A pretend model: it answers a prompt with one token per word, each after `delay`.
struct Model {
  std::string name;                                   // "upper" or "reverse"
  aio::Duration delay = 100ms;                        // per token
  std::function<std::string(std::string)> transform;  // what it does to each word
};

inline Model upper_model(aio::Duration delay = 100ms) {
  return Model{"upper", delay, [](std::string word) {
                 std::transform(word.begin(), word.end(), word.begin(), [](unsigned char c) { return char(std::toupper(c)); });
                 return word;
               }};
}

inline Model reverse_model(aio::Duration delay = 100ms) {
  return Model{"reverse", delay, [](std::string word) {
                 std::reverse(word.begin(), word.end());
                 return word;
               }};
}

inline aio::AsyncGenerator<std::string> model_tokens(std::shared_ptr<Model> model, std::string prompt) {
  for (const std::string& word : words(prompt)) {
    co_await aio::sleep(model->delay);
    co_yield model->transform(word) + " ";
  }
}

inline aio::Router model_router(Model model) {
  auto shared = std::make_shared<Model>(std::move(model));
  aio::Router router;
  router.post("/generate", [shared](aio::Request request) -> aio::Coro<aio::Response> {
    return [](std::shared_ptr<Model> m, aio::Request r) -> aio::Coro<aio::Response> {
      co_return aio::Response::streaming(model_tokens(m, r.query("prompt")), "text/plain; charset=utf-8");
    }(shared, std::move(request));
  });
  return router;
}

// ---- the front server ---------------------------------------------------------------------

/// What the front server needs to know.
struct Config {
  std::uint16_t upper_port = 0;    // where the models listen
  std::uint16_t reverse_port = 0;
  aio::Duration token_delay = 100ms;  // /stream's pace
  aio::Duration call_timeout = 2s;    // each model call's deadline in /process
  Log log;                            // what the generators' cleanup reports
};

// book:stream-generator
/// /stream's events: init, then per word a data and a progress event, then done. Its cleanup
/// runs however it ends: at the end, at aclose() when the client went away, or cancelled.
inline aio::AsyncGenerator<std::string> token_events(std::shared_ptr<Config> config, std::string prompt) {
  const std::vector<std::string> tokens = words(prompt);
  std::size_t sent = 0;
  std::exception_ptr stopped;
  try {
    // Each record is built into a local first: GCC 12 mishandles braced lists in a co_yield.
    std::string record = aio::sse_event("init", nlohmann::json{{"prompt", prompt}, {"tokens", tokens.size()}}.dump());
    co_yield std::move(record);
    for (const std::string& token : tokens) {
      co_await aio::sleep(config->token_delay);
      co_yield aio::sse_event("data", token);
      ++sent;
      record = aio::sse_event("progress", nlohmann::json{{"done", sent}, {"total", tokens.size()}}.dump());
      co_yield std::move(record);
    }
    record = aio::sse_event("done", nlohmann::json{{"tokens", sent}}.dump());
    co_yield std::move(record);
  } catch (...) {
    stopped = std::current_exception();  // GeneratorExit (aclose) or CancelledError (shutdown)
  }
  if (stopped) {
    if (config->log) config->log("stream of '" + prompt + "' stopped after " + std::to_string(sent) + " tokens");
    std::rethrow_exception(stopped);
  }
}
// end book:stream-generator

/// The search corpus: three shards, each slower than the one before.
inline const std::vector<std::vector<std::string>>& shards() {
  static const std::vector<std::vector<std::string>> corpus = {
      {"the event loop runs one callback at a time", "a task wraps a coroutine"},
      {"gather runs awaitables concurrently", "the loop waits in epoll for sockets"},
      {"an async generator yields while it awaits", "server sent events stream text to the browser"},
  };
  return corpus;
}

/// The map step: the documents of shard `index` that contain `query` (after the shard's delay).
inline aio::Coro<std::vector<std::string>> search_shard(std::size_t index, std::string query) {
  co_await aio::sleep(std::chrono::milliseconds(100 * (index + 1)));
  std::vector<std::string> found;
  for (const std::string& document : shards()[index]) {
    if (document.find(query) != std::string::npos) found.push_back(document);
  }
  co_return found;
}

// book:search-generator
/// /search's events: the map phase over every shard at once (gather), then the context records
/// (what matched), then the reduce phase's results one by one, then done.
inline aio::AsyncGenerator<std::string> search_events(std::shared_ptr<Config> config, std::string query) {
  std::string record = aio::sse_event("init", nlohmann::json{{"query", query}, {"shards", shards().size()}}.dump());
  co_yield std::move(record);
  std::vector<aio::Coro<std::vector<std::string>>> map;
  for (std::size_t i = 0; i < shards().size(); ++i) map.push_back(search_shard(i, query));
  std::vector<std::vector<std::string>> found = co_await aio::gather(std::move(map));
  std::vector<std::string> context;
  for (const auto& shard : found) context.insert(context.end(), shard.begin(), shard.end());
  for (const std::string& document : context) co_yield aio::sse_event("context", document);
  for (std::size_t i = 0; i < context.size(); ++i) {
    co_await aio::sleep(config->token_delay);
    record = aio::sse_event("result", nlohmann::json{{"rank", i + 1}, {"words", words(context[i]).size()}}.dump());
    co_yield std::move(record);
  }
  record = aio::sse_event("done", nlohmann::json{{"matches", context.size()}}.dump());
  co_yield std::move(record);
}
// end book:search-generator

/// One model call: the whole streamed answer, tokens joined.
inline aio::Coro<std::string> call_model(std::uint16_t port, std::string prompt) {
  aio::HttpClient client = co_await aio::HttpClient::connect("127.0.0.1", port);
  aio::ClientResponse head = co_await client.request("POST", "/generate?prompt=" + aio::url_encode(prompt));
  std::string answer = co_await client.text();
  client.close();
  if (head.status != 200) throw aio::HttpError(502, "the model answered " + std::to_string(head.status));
  while (!answer.empty() && answer.back() == ' ') answer.pop_back();
  co_return answer;
}

// book:gateway
/// /process: both models at once, each with its deadline; one answer or one error per model.
inline aio::Coro<aio::Response> process(std::shared_ptr<Config> config, aio::Request request) {
  const std::string prompt = request.query("prompt");
  if (prompt.empty()) co_return aio::Response::error(400, "the prompt is empty");
  std::vector<aio::Coro<std::string>> calls;
  calls.push_back(call_model(config->upper_port, prompt));
  calls.push_back(call_model(config->reverse_port, prompt));
  std::vector<aio::Outcome<std::string>> outcomes = co_await aio::fan_out(std::move(calls), config->call_timeout);
  nlohmann::json results = nlohmann::json::object();
  const char* names[] = {"upper", "reverse"};
  for (std::size_t i = 0; i < outcomes.size(); ++i) {
    if (outcomes[i].has_value()) {
      results[names[i]] = {{"text", outcomes[i].value()}};
    } else {
      results[names[i]] = {{"error", aio::describe_error(outcomes[i].exception())}};
    }
  }
  const nlohmann::json answer = {{"prompt", prompt}, {"results", results}};
  co_return aio::Response::json(answer);
}
// end book:gateway

/// The page: an EventSource on /stream; each event becomes a line; "done" closes it.
inline std::string page() {
  return R"(<!doctype html>
<html>
<head><meta charset="utf-8"><title>aio streaming</title>
<style>body{font-family:sans-serif;margin:2em}#tokens{font-size:1.4em}#log{font-family:monospace;color:#555}</style>
</head>
<body>
<h1>Streaming from an async generator</h1>
<p>prompt: <b id="prompt"></b></p>
<p id="tokens"></p>
<progress id="bar" value="0" max="1"></progress> <span id="status">connecting</span>
<ol id="log"></ol>
<script>
const prompt = new URLSearchParams(location.search).get("prompt") || "hello streaming world";
document.getElementById("prompt").textContent = prompt;
const source = new EventSource("/stream?prompt=" + encodeURIComponent(prompt));
function note(kind, text) {
  const item = document.createElement("li");
  item.className = "event-" + kind;
  item.textContent = kind + ": " + text;
  document.getElementById("log").appendChild(item);
}
source.addEventListener("init", e => { note("init", e.data); document.getElementById("status").textContent = "streaming"; });
source.addEventListener("data", e => { note("data", e.data); document.getElementById("tokens").textContent += e.data + " "; });
source.addEventListener("progress", e => {
  const p = JSON.parse(e.data);
  note("progress", p.done + "/" + p.total);
  document.getElementById("bar").max = p.total;
  document.getElementById("bar").value = p.done;
});
source.addEventListener("done", e => { note("done", e.data); document.getElementById("status").textContent = "done"; source.close(); });
</script>
</body>
</html>
)";
}

inline aio::Router front_router(std::shared_ptr<Config> config) {
  aio::Router router;
  router.get("/", [](aio::Request) -> aio::Coro<aio::Response> {
    return []() -> aio::Coro<aio::Response> { co_return aio::Response::html(page()); }();
  });
  router.get("/stream", [config](aio::Request request) -> aio::Coro<aio::Response> {
    return [](std::shared_ptr<Config> c, aio::Request r) -> aio::Coro<aio::Response> {
      co_return aio::Response::streaming(token_events(c, r.query("prompt", "hello streaming world")),
                                         std::string(aio::event_stream_type));
    }(config, std::move(request));
  });
  router.get("/search", [config](aio::Request request) -> aio::Coro<aio::Response> {
    return [](std::shared_ptr<Config> c, aio::Request r) -> aio::Coro<aio::Response> {
      co_return aio::Response::streaming(search_events(c, r.query("q")), std::string(aio::event_stream_type));
    }(config, std::move(request));
  });
  router.post("/process", [config](aio::Request request) { return process(config, std::move(request)); });
  return router;
}

/// The three servers of the demo: two models and the front server that calls them.
struct Services {
  aio::HttpServer upper;
  aio::HttpServer reverse;
  aio::HttpServer front;
  std::shared_ptr<Config> config;

  aio::Coro<void> shutdown(aio::Duration grace) {
    co_await front.shutdown(grace);
    co_await upper.shutdown(grace);
    co_await reverse.shutdown(grace);
  }
};

inline aio::Coro<Services> start_services(Config config, Model upper, Model reverse, aio::HttpOptions options = {}) {
  aio::HttpServer upper_server = co_await aio::HttpServer::start(model_router(std::move(upper)), "127.0.0.1", 0, options);
  aio::HttpServer reverse_server = co_await aio::HttpServer::start(model_router(std::move(reverse)), "127.0.0.1", 0, options);
  config.upper_port = upper_server.port();
  config.reverse_port = reverse_server.port();
  auto shared = std::make_shared<Config>(std::move(config));
  aio::HttpServer front = co_await aio::HttpServer::start(front_router(shared), "127.0.0.1", 0, options);
  co_return Services{upper_server, reverse_server, front, shared};
}

}  // namespace service
