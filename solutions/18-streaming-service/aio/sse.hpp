// aio::sse_event: one Server-Sent Events record, the text an EventSource in a browser reads.
//
//   yield f"event: progress\ndata: {json}\n\n"     co_yield aio::sse_event("progress", json.dump());
//
// A record is a few "field: value" lines and an empty line. `event:` names it (the browser
// calls the listener registered with addEventListener(name)); each line of the data becomes a
// `data:` line, and the browser joins them back with newlines. A line that starts with ':' is a
// comment, which keeps a quiet connection alive through proxies.
//
// An SSE endpoint is an async generator of such records (lesson 14) handed to
// Response::streaming with the type "text/event-stream"; send_chunked sends them as they come.
#pragma once

#include <string>
#include <string_view>

namespace aio {

inline constexpr std::string_view event_stream_type = "text/event-stream";

// book:sse-event
/// "event: <name>\ndata: <line>\n...\n\n"; an empty name leaves the event line out (the
/// browser calls it "message").
inline std::string sse_event(std::string_view name, std::string_view data) {
  std::string record;
  record.reserve(name.size() + data.size() + 16);
  if (!name.empty()) {
    record += "event: ";
    record += name;
    record += '\n';
  }
  for (;;) {
    const std::size_t newline = data.find('\n');
    record += "data: ";
    record += data.substr(0, newline);
    record += '\n';
    if (newline == std::string_view::npos) break;
    data.remove_prefix(newline + 1);
  }
  record += '\n';
  return record;
}
// end book:sse-event

/// ": <text>\n\n": a comment, which the browser ignores.
inline std::string sse_comment(std::string_view text) { return ": " + std::string(text) + "\n\n"; }

}  // namespace aio
