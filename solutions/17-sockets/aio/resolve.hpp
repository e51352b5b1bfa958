// aio::getaddrinfo: from a host name to the addresses to connect to or to listen on, without
// blocking the loop (asyncio's loop.getaddrinfo).
//
//   infos = await loop.getaddrinfo("localhost", 8888, type=socket.SOCK_STREAM)
//   std::vector<aio::AddrInfo> infos = co_await aio::getaddrinfo("localhost", 8888, AF_UNSPEC, SOCK_STREAM);
//   infos[0][4]                       infos[0].address     (an aio::Address: host and port)
//
// The C library's ::getaddrinfo blocks: for a name it may read /etc/hosts or ask a DNS server
// and wait for the answer. asyncio therefore runs it in its default executor, and so does aio:
// lesson 16's to_thread. The resolution is outside work while it runs, so the virtual clock
// waits for it instead of jumping to a timer. A numeric address needs no thread: asyncio's
// shortcut (_ipaddr_info) answers "127.0.0.1" and "::1" at once, and aio does the same by asking
// ::getaddrinfo with AI_NUMERICHOST first, which never blocks.
//
// Cancellation, as asyncio's: the awaiting task stops waiting at once; the thread cannot be
// interrupted and finishes the lookup on its own; its answer is dropped.
//
// A name that does not resolve raises aio::GaiError (Python's socket.gaierror, an OSError whose
// errno is the EAI_ code, such as EAI_NONAME, -2: "Name or service not known").
#pragma once

#include <aio/coro.hpp>
#include <aio/errors.hpp>
#include <aio/run_in_executor.hpp>
#include <aio/socket.hpp>
#include <aio/socket_errors.hpp>

#include <netdb.h>
#include <sys/socket.h>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace aio {

/// One answer of getaddrinfo: Python's (family, type, proto, canonname, sockaddr) tuple.
struct AddrInfo {
  int family = AF_INET;  // AF_INET or AF_INET6
  int type = SOCK_STREAM;
  int protocol = 0;
  std::string canonname;  // filled only when AI_CANONNAME was asked for
  Address address;
};

/// A host name that could not be resolved (Python's socket.gaierror). error_number() is the
/// EAI_ code, negative as Python shows it (EAI_NONAME is -2).
class GaiError : public OSError {
public:
  GaiError(int eai_code, const std::string& host)
      : OSError(eai_code, std::string(::gai_strerror(eai_code)) + ": could not resolve '" + host +
                              "'; check the name, or give a numeric address such as \"127.0.0.1\" or \"::1\"") {}
};

namespace detail {

// book:blocking-getaddrinfo
/// ::getaddrinfo, which may block: what runs in a worker thread (or at once, with
/// AI_NUMERICHOST in `flags`, which never blocks). An empty host means "any address", for a
/// server (Python's None).
inline std::vector<AddrInfo> blocking_getaddrinfo(std::string host, std::uint16_t port, int family, int type,
                                                  int flags) {
  addrinfo hints{};
  hints.ai_family = family;
  hints.ai_socktype = type;
  hints.ai_flags = flags | AI_NUMERICSERV;
  addrinfo* found = nullptr;
  const std::string service = std::to_string(port);
  const int code = ::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
  if (code != 0) throw GaiError(code, host);
  // Freed on every way out, a copy that throws (out of memory) included.
  const std::unique_ptr<addrinfo, decltype(&::freeaddrinfo)> list(found, &::freeaddrinfo);
  std::vector<AddrInfo> infos;
  for (const addrinfo* info = found; info != nullptr; info = info->ai_next) {
    if (info->ai_family != AF_INET && info->ai_family != AF_INET6) continue;
    infos.push_back(AddrInfo{info->ai_family, info->ai_socktype, info->ai_protocol,
                             info->ai_canonname != nullptr ? info->ai_canonname : "", from_sockaddr(info->ai_addr)});
  }
  return infos;
}
// end book:blocking-getaddrinfo

using Resolver = std::vector<AddrInfo> (*)(std::string, std::uint16_t, int, int, int);
/// What resolves a name in the worker thread. Tests put a slow or a scripted resolver here, to
/// see the wait and the answers without asking a real DNS server.
inline Resolver name_resolver = &blocking_getaddrinfo;

}  // namespace detail

// book:getaddrinfo
/// The addresses of host:port (asyncio's loop.getaddrinfo). `family` AF_UNSPEC gives IPv4 and
/// IPv6 both; `type` SOCK_STREAM keeps TCP's; `flags` AI_PASSIVE asks for addresses to listen
/// on. Numeric hosts are answered at once; names go to a thread of the loop's default executor.
/// Throws GaiError when the name does not resolve.
inline Coro<std::vector<AddrInfo>> getaddrinfo(std::string host, std::uint16_t port, int family = AF_UNSPEC,
                                               int type = 0, int flags = 0) {
  if (!host.empty()) {
    try {
      co_return detail::blocking_getaddrinfo(host, port, family, type, flags | AI_NUMERICHOST);
    } catch (const GaiError& error) {
      if (error.error_number() != EAI_NONAME) throw;  // else: a name, not a number
    }
  }
  std::vector<AddrInfo> infos = co_await to_thread(detail::name_resolver, host, port, family, type, flags);
  co_return infos;
}
// end book:getaddrinfo

}  // namespace aio
