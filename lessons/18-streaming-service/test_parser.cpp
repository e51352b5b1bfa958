// Tests for HeadParser (exercise l18.ex1: feeding the parser), and a seeded fuzz test that
// feeds it random and mutated requests. No I/O: the parser only sees bytes.
#include <aio/http_parser.hpp>
#include <aio_test/catch.hpp>

#include <cstddef>
#include <random>
#include <string>
#include <string_view>
#include <vector>

namespace {

const std::string simple = "GET /search?q=event+loop&n=2 HTTP/1.1\r\nHost: example\r\nX-Trace:  7 \r\n\r\n";

/// Feeds `text` in pieces of `size` bytes; returns the bytes used in all.
std::size_t feed_in_pieces(aio::HeadParser& parser, std::string_view text, std::size_t size) {
  std::size_t used = 0;
  while (used < text.size() && !parser.done() && !parser.failed()) {
    const std::string_view piece = text.substr(used, size);
    const std::size_t took = parser.feed(piece);
    used += took;
    if (took < piece.size()) break;
  }
  return used;
}

int refusal(std::string_view text) {
  aio::HeadParser parser;
  parser.feed(text);
  return parser.failed() ? parser.error().status() : 0;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// l18.ex1: feeding the parser

TEST_CASE("a whole request in one piece: method, path, query, headers", "[l18][ex1]") {
  aio::HeadParser parser;
  const std::size_t used = parser.feed(simple);
  REQUIRE(parser.done());
  CHECK(used == simple.size());
  const aio::Request& request = parser.request();
  CHECK(request.method == "GET");
  CHECK(request.path == "/search");
  CHECK(request.query("q") == "event loop");
  CHECK(request.query("n") == "2");
  CHECK(request.minor_version == 1);
  REQUIRE(request.headers.size() == 2);
  CHECK(request.headers[0] == std::pair<std::string, std::string>("host", "example"));
  CHECK(request.headers[1] == std::pair<std::string, std::string>("x-trace", "7"));
}

TEST_CASE("one byte at a time gives the same request as one piece", "[l18][ex1]") {
  aio::HeadParser parser;
  const std::size_t used = feed_in_pieces(parser, simple, 1);
  REQUIRE(parser.done());
  CHECK(used == simple.size());
  CHECK(parser.request().query("q") == "event loop");
  CHECK(parser.request().headers.size() == 2);
  CHECK(parser.started());
}

TEST_CASE("a CRLF split between two pieces is one line end", "[l18][ex1]") {
  aio::HeadParser parser;
  CHECK(parser.feed("GET / HTTP/1.1\r") == 15);
  CHECK(parser.state() == aio::HeadParser::State::first_line);
  CHECK(parser.feed("\nA: b\r") == 6);
  CHECK(parser.feed("\n\r") == 2);
  CHECK(!parser.done());
  CHECK(parser.feed("\n") == 1);
  CHECK(parser.done());
  CHECK(parser.request().header("a") == std::optional<std::string_view>("b"));
}

TEST_CASE("the parser stops after the head: the body stays with the caller", "[l18][ex1]") {
  aio::HeadParser parser;
  const std::string text = "POST /process?prompt=hi HTTP/1.1\r\nContent-Length: 4\r\n\r\nBODYGET / HTTP/1.1\r\n";
  const std::size_t used = parser.feed(text);
  REQUIRE(parser.done());
  CHECK(text.substr(used) == "BODYGET / HTTP/1.1\r\n");
  CHECK(parser.content_length() == 4);
  CHECK(parser.feed("more") == 0);  // done: nothing more is taken
}

TEST_CASE("bare LF line ends are accepted", "[l18][ex1]") {
  aio::HeadParser parser;
  parser.feed("GET /a HTTP/1.0\nConnection: keep-alive\n\n");
  REQUIRE(parser.done());
  CHECK(parser.request().minor_version == 0);
  CHECK(parser.request().keep_alive());
}

TEST_CASE("a request line over 8 KiB is refused before its newline comes", "[l18][ex1]") {
  aio::HeadParser parser;
  const std::string start = "GET /" + std::string(8 * 1024, 'a');
  parser.feed(start);
  REQUIRE(parser.failed());
  CHECK(parser.error().status() == 400);
  CHECK(std::string(parser.error().what()) == "request line too long");
}

TEST_CASE("a request line of exactly 8 KiB is accepted", "[l18][ex1]") {
  aio::HeadParser parser;
  const std::string line = "GET /" + std::string(8 * 1024 - 14, 'a') + " HTTP/1.1";
  REQUIRE(line.size() == 8 * 1024);
  parser.feed(line + "\r\n\r\n");
  CHECK(parser.done());
}

TEST_CASE("headers over 16 KiB get 431, counted across lines and pieces", "[l18][ex1]") {
  aio::HeadParser parser;
  parser.feed("GET / HTTP/1.1\r\n");
  const std::string header = "X-Fill: " + std::string(990, 'x') + "\r\n";  // 1,000 bytes a line
  for (int i = 0; i < 16 && !parser.failed(); ++i) feed_in_pieces(parser, header, 7);
  CHECK(!parser.failed());  // 16,000 bytes: still under the limit
  parser.feed(header.substr(0, 500));  // no newline yet, and over 16 KiB already
  REQUIRE(parser.failed());
  CHECK(parser.error().status() == 431);
}

TEST_CASE("what the parser refuses, and with which status", "[l18][ex1]") {
  CHECK(refusal("GET\r\n") == 400);
  CHECK(refusal("GET  / HTTP/1.1\r\n") == 400);
  CHECK(refusal("GET / HTTP/1.1 extra\r\n") == 400);
  CHECK(refusal("GET nopath HTTP/1.1\r\n") == 400);
  CHECK(refusal("G(T / HTTP/1.1\r\n") == 400);
  CHECK(refusal("GET / HTTX/1.1\r\n") == 400);
  CHECK(refusal("GET / HTTP/2.0\r\n") == 505);
  CHECK(refusal("GET /%zz HTTP/1.1\r\n") == 400);
  CHECK(refusal("GET / HTTP/1.1\r\nno colon here\r\n") == 400);
  CHECK(refusal("GET / HTTP/1.1\r\nBad Name: x\r\n") == 400);
  CHECK(refusal("POST / HTTP/1.1\r\nContent-Length: 12x\r\n\r\n") == 400);
  CHECK(refusal("POST / HTTP/1.1\r\nContent-Length: 2000000\r\n\r\n") == 413);
  CHECK(refusal("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n") == 501);
  std::string many = "GET / HTTP/1.1\r\n";
  for (int i = 0; i < 101; ++i) many += "A: b\r\n";
  CHECK(refusal(many) == 431);
}

TEST_CASE("reset makes the parser ready for the next request of a connection", "[l18][ex1]") {
  aio::HeadParser parser;
  parser.feed("GET /one HTTP/1.1\r\n\r\n");
  REQUIRE(parser.done());
  parser.reset();
  CHECK(!parser.started());
  parser.feed("GET /two HTTP/1.1\r\n\r\n");
  REQUIRE(parser.done());
  CHECK(parser.request().path == "/two");
  CHECK(parser.request().headers.empty());
}

TEST_CASE("a response head: status, headers, chunked", "[l18][ex1]") {
  aio::HeadParser parser(aio::HeadParser::Kind::response);
  parser.feed("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Type: text/plain\r\n\r\n");
  REQUIRE(parser.done());
  CHECK(parser.status() == 200);
  CHECK(parser.chunked());
}

// ---------------------------------------------------------------------------------------------
// Fuzzing: random and mutated requests, a bounded number of runs. Run under ASan+UBSan (the
// asan preset) it also shows that nothing is read out of bounds or leaked.

TEST_CASE("the parser survives 20,000 random and mutated requests", "[l18][fuzz]") {
  std::mt19937 random(18);  // seeded: a failure can be replayed
  const std::vector<std::string> seeds = {
      simple,
      "POST /process?prompt=a%20b HTTP/1.1\r\nContent-Length: 3\r\n\r\nabc",
      "GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n",
      "GET /stream HTTP/1.1\r\n" + std::string(100, 'X') + ": y\r\n\r\n",
  };
  const std::string alphabet = "GETPOST /?=&%+:\r\n \tHTTP/1.01abcxyz\x7f\x00\xff";
  std::size_t done = 0;
  std::size_t failed = 0;
  for (int run = 0; run < 20000; ++run) {
    std::string input;
    if (run % 4 == 0) {
      const std::size_t length = random() % 300;
      for (std::size_t i = 0; i < length; ++i) input += alphabet[random() % alphabet.size()];
    } else {
      input = seeds[random() % seeds.size()];
      const int edits = 1 + int(random() % 8);
      for (int e = 0; e < edits && !input.empty(); ++e) {
        const std::size_t at = random() % input.size();
        switch (random() % 4) {
          case 0: input[at] = alphabet[random() % alphabet.size()]; break;
          case 1: input.erase(at, 1 + random() % 5); break;
          case 2: input.insert(at, std::string(1 + random() % 40, alphabet[random() % alphabet.size()])); break;
          default: input.insert(at, input.substr(at, random() % 20)); break;
        }
      }
    }
    aio::HeadParser parser(aio::HeadParser::Kind::request, aio::HttpLimits{.request_line = 64, .headers = 128});
    const std::size_t used = feed_in_pieces(parser, input, 1 + random() % 16);
    REQUIRE(used <= input.size());
    if (parser.done()) ++done;
    if (parser.failed()) {
      ++failed;
      const int status = parser.error().status();
      REQUIRE((status == 400 || status == 413 || status == 431 || status == 501 || status == 505));
    }
  }
  // Both outcomes occur: the mutations neither always break nor never break a request.
  CHECK(done > 1000);
  CHECK(failed > 1000);
}
