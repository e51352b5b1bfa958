// aio::Poller: the loop waits on epoll, for sockets and for other threads at once.
//
// asyncio's selector event loop keeps a selector (epoll on Linux) and, in every iteration of
// run_once, asks it which file descriptors are ready, waiting at most until the next timer is
// due. The callbacks of the ready ones join the ready queue. Here the Poller is the loop's
// IoWaiter (lesson 04's extension point): the loop calls wait(timeout) when it has nothing ready.
//
//   loop.add_reader(fd, cb)       aio::add_reader(loop, fd, cb)
//   loop.remove_reader(fd)        aio::remove_reader(loop, fd)
//   loop.add_writer / remove_writer   the same with _writer
//
// Free functions, not members: lesson 04's EventLoop cannot grow members from a later lesson's
// header, and lesson 16 spells call_soon_threadsafe(loop, f) the same way. The first call
// installs the Poller (poller_of), so a program without sockets never opens an epoll set.
//
// Interest is kept per file descriptor and per direction as a Watch: an object with one function,
// ready(), that the Poller calls from inside wait() when the fd is ready. ready() only schedules
// work (it wakes a task, or queues a callback); it never resumes a coroutine inline, so the order
// stays the loop's. The awaiters of aio/socket.hpp are Watches themselves: waiting for a socket
// allocates nothing.
//
// The kernel's epoll set is brought up to date lazily: dropping a Watch only forgets it here, and
// the fd's bits in the kernel are trimmed the first time an event comes that nobody watches. A
// task that reads, waits, reads, waits, ... on one socket then costs no epoll_ctl at all after the
// first wait (the measured difference is in benchmarks/17-sockets.cpp).
//
// The virtual clock: the loop lets time jump to the next timer only when has_pending() is false.
// A socket wait "can still be satisfied" for as long as I/O may be on its way: on loopback, data
// written by one task reaches its peer within microseconds. So after any I/O (an event, a send, a
// connect, a close, a new watch) the Poller counts as busy, and its wait() gives the kernel up to settle_time
// of real time to bring the next event; a wait that brings nothing in that time means every
// socket is idle, and time may jump until the next I/O. On the real clock a watched socket always
// counts as pending: a peer in another process may write at any moment.
#pragma once

#include <aio/clock.hpp>
#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/inbox.hpp>
#include <aio/socket_errors.hpp>

#include <sys/epoll.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <exception>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace aio {

/// One direction of interest (read or write) in one file descriptor.
///   ready    called by Poller::wait when the fd is ready in that direction (or has failed: an
///            error or a hang-up wakes both directions, so that the next call sees it). Inside
///            wait(): schedule work, never resume a coroutine.
///   abandon  called by a Poller destroyed while the Watch is still registered (a loop closing
///            with connections open), so that its owner can let go of what it keeps alive.
struct Watch {
  void (*ready)(Watch* self) = nullptr;
  void (*abandon)(Watch* self) = nullptr;
};

class Poller final : public IoWaiter, public HasInbox {
public:
  /// How long, in real time, the Poller waits for the kernel after the last I/O before it
  /// declares every socket idle on the virtual clock (see the top of this file).
  static constexpr std::chrono::milliseconds settle_time{20};

  /// A Poller for `loop`, which takes over `inbox` (the wake-up of other threads, lesson 16):
  /// its fd becomes one more reader in the epoll set.
  Poller(EventLoop& loop, std::shared_ptr<Inbox> inbox)
      : loop_(&loop), virtual_clock_(loop.clock().is_virtual()), inbox_(std::move(inbox)) {
    epoll_fd_ = ::epoll_create1(EPOLL_CLOEXEC);
    if (epoll_fd_ < 0) throw_os_error(errno, "epoll_create1");
    inbox_watch_.ready = [](Watch* self) {
      static_cast<InboxWatch*>(self)->inbox->drain();
    };
    inbox_watch_.inbox = &*inbox_;
    watch_read(inbox_->fd(), inbox_watch_);
    --watching_;  // the inbox is no socket: has_pending() asks the inbox itself
  }
  Poller(const Poller&) = delete;
  Poller& operator=(const Poller&) = delete;
  ~Poller() override {
    // The user callbacks' watches belong to the Poller itself: they go first, and leave no
    // pointer behind in entries_.
    for (const auto& [key, watch] : user_watches_) unwatch(int(key / 2), key % 2 ? &Entry::writer : &Entry::reader);
    user_watches_.clear();
    for (Entry& entry : entries_) {
      if (entry.reader != nullptr && entry.reader != &inbox_watch_ && entry.reader->abandon) {
        entry.reader->abandon(entry.reader);
      }
      if (entry.writer != nullptr && entry.writer->abandon) entry.writer->abandon(entry.writer);
    }
    ::close(epoll_fd_);
  }

  // ---- HasInbox ---------------------------------------------------------------------------
  std::shared_ptr<Inbox> inbox() override { return inbox_.shared(); }

  // ---- watches ----------------------------------------------------------------------------
  /// Calls `watch.ready` whenever `fd` is readable, until unwatch_read(fd). One reader per fd:
  /// a second one is a RuntimeError that says so (two tasks reading one socket would each get
  /// an arbitrary half of the bytes).
  void watch_read(int fd, Watch& watch) { watch_in(fd, &Entry::reader, watch, "read from"); }
  /// The same for writability.
  void watch_write(int fd, Watch& watch) { watch_in(fd, &Entry::writer, watch, "write to"); }
  /// Forgets the reader of `fd`; false if there was none. The kernel hears of it lazily.
  bool unwatch_read(int fd) noexcept { return unwatch(fd, &Entry::reader); }
  bool unwatch_write(int fd) noexcept { return unwatch(fd, &Entry::writer); }
  Watch* reader(int fd) const noexcept { return fd >= 0 && std::size_t(fd) < entries_.size() ? entries_[fd].reader : nullptr; }
  Watch* writer(int fd) const noexcept { return fd >= 0 && std::size_t(fd) < entries_.size() ? entries_[fd].writer : nullptr; }

  /// `fd` is about to be closed: its watches are woken (their owners find the socket closed) and
  /// the fd leaves the epoll set, so that the number can be reused by the next socket.
  void forget(int fd) noexcept {
    note_activity();  // the peer hears of the close, and may answer
    if (fd < 0 || std::size_t(fd) >= entries_.size()) return;
    Entry& entry = entries_[fd];
    Watch* reader = entry.reader;
    Watch* writer = entry.writer;
    entry.reader = entry.writer = nullptr;
    if (reader != nullptr) --watching_;
    if (writer != nullptr) --watching_;
    wake_for_close(reader);
    wake_for_close(writer);
    if (entry.in_kernel != 0) ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
    entry.in_kernel = 0;
  }

  /// Something was sent, connected or closed: the peer may answer soon (virtual clock only).
  void note_activity() noexcept { settled_ = false; }

  /// How many watches are registered (the inbox's not counted).
  std::size_t watching() const noexcept { return watching_; }
  /// How many epoll_ctl calls were made so far (the lazy updates' effect, for the benchmark).
  std::uint64_t epoll_ctl_calls() const noexcept { return ctl_calls_; }

  // ---- IoWaiter ---------------------------------------------------------------------------
  // book:has-pending
  /// True while I/O or another thread may still bring work: a thread's job under way, or a
  /// watched socket, except on the virtual clock once every socket has settled.
  bool has_pending() const override {
    if (inbox_->has_pending()) return true;
    if (watching_ == 0) return false;
    return !virtual_clock_ || !settled_;
  }
  // end book:has-pending

  // book:wait
  /// Waits until an fd is ready or `timeout` has passed (no limit when empty), and calls the
  /// ready() of every Watch whose fd is ready.
  void wait(std::optional<Duration> timeout) override {
    // On the virtual clock a socket that stays quiet for settle_time is idle: do not wait for
    // it any longer (the loop then lets time jump). Threads' work is waited for in full.
    const bool settling = virtual_clock_ && !inbox_->has_pending() && timeout != Duration{0};
    if (settling) timeout = timeout ? std::min<Duration>(*timeout, settle_time) : Duration(settle_time);
    const int count = epoll(timeout);
    if (count > 0) {
      settled_ = false;
      dispatch(count);
    } else if (settling) {
      settled_ = true;
    }
  }
  // end book:wait

  /// User callbacks of add_reader / add_writer (below): a Watch that queues a call to `function`.
  struct CallbackWatch : Watch {
    std::function<void()> function;
    EventLoop* loop = nullptr;
    Handle queued;        // the call queued for this iteration, cancelled if the watch goes
    bool waiting = false;  // `queued` has not run yet: one call per iteration is enough
  };
  /// asyncio's add_reader: `function` runs from the ready queue in every iteration in which
  /// `fd` is readable. Replaces the reader added before, as asyncio does.
  void add_callback(int fd, bool write, std::function<void()> function) {
    remove_callback(fd, write);
    auto watch = std::make_unique<CallbackWatch>();
    watch->function = std::move(function);
    watch->loop = loop_;
    watch->ready = [](Watch* self) {
      auto* callback = static_cast<CallbackWatch*>(self);
      if (callback->waiting) return;  // still waiting for its turn
      callback->waiting = true;
      callback->queued = callback->loop->call_soon([callback] {
        callback->waiting = false;
        callback->function();
      });
    };
    if (write) {
      watch_write(fd, *watch);
    } else {
      watch_read(fd, *watch);
    }
    user_watches_[key(fd, write)] = std::move(watch);
  }
  /// asyncio's remove_reader: true if a callback was registered for `fd`.
  bool remove_callback(int fd, bool write) {
    auto found = user_watches_.find(key(fd, write));
    if (found == user_watches_.end()) return false;
    found->second->queued.cancel();
    if (write) {
      unwatch_write(fd);
    } else {
      unwatch_read(fd);
    }
    user_watches_.erase(found);
    return true;
  }

private:
  struct Entry {
    Watch* reader = nullptr;
    Watch* writer = nullptr;
    std::uint32_t in_kernel = 0;  // the events the epoll set holds for this fd (0: not in it)
  };
  struct InboxWatch : Watch {
    Inbox* inbox = nullptr;
  };

  // forget() runs inside Socket::close(), which cannot throw: a ready() that throws (an
  // exercise not written yet, say) is reported through the loop instead.
  void wake_for_close(Watch* watch) noexcept {
    if (watch == nullptr) return;
    try {
      watch->ready(watch);
    } catch (const std::exception& error) {
      try {
        loop_->call_exception_handler(std::string("Exception while closing a socket: ") + error.what());
      } catch (...) {
      }
    }
  }

  static std::int64_t key(int fd, bool write) noexcept { return std::int64_t(fd) * 2 + (write ? 1 : 0); }

  Entry& entry(int fd) {
    if (fd < 0) throw OSError(EBADF, "a closed socket cannot be watched");
    if (std::size_t(fd) >= entries_.size()) entries_.resize(std::size_t(fd) + 1);
    return entries_[fd];
  }

  void watch_in(int fd, Watch* Entry::*slot, Watch& watch, const char* verb) {
    Entry& e = entry(fd);
    if (e.*slot != nullptr && e.*slot != &watch) {
      throw RuntimeError(std::string("another task is already waiting to ") + verb +
                         " this socket (fd " + std::to_string(fd) + ")");
    }
    if (e.*slot == nullptr) ++watching_;
    e.*slot = &watch;
    sync_kernel(fd, e);
    // A new interest has not been asked about yet: its bytes may be there already.
    note_activity();
  }

  bool unwatch(int fd, Watch* Entry::*slot) noexcept {
    if (fd < 0 || std::size_t(fd) >= entries_.size() || entries_[fd].*slot == nullptr) return false;
    entries_[fd].*slot = nullptr;
    --watching_;
    return true;
  }

  static std::uint32_t wanted(const Entry& e) noexcept {
    return (e.reader != nullptr ? std::uint32_t(EPOLLIN) : 0u) |
           (e.writer != nullptr ? std::uint32_t(EPOLLOUT) : 0u);
  }

  // book:sync-kernel
  // Adds to the epoll set what the watches need and it lacks. Bits nobody needs any more stay
  // until an event shows them (trim): a socket read again and again is never touched.
  void sync_kernel(int fd, Entry& e) {
    const std::uint32_t need = wanted(e);
    if ((need & ~e.in_kernel) == 0) return;
    set_kernel(fd, e, need | e.in_kernel);
  }
  void trim_kernel(int fd, Entry& e) noexcept {
    const std::uint32_t need = wanted(e);
    if (need == e.in_kernel) return;
    if (need == 0) {
      ::epoll_ctl(epoll_fd_, EPOLL_CTL_DEL, fd, nullptr);
      ++ctl_calls_;
      e.in_kernel = 0;
    } else {
      try {
        set_kernel(fd, e, need);
      } catch (...) {  // a fd closed behind our back: the next watch finds out
      }
    }
  }
  // end book:sync-kernel

  void set_kernel(int fd, Entry& e, std::uint32_t events) {
    epoll_event event{};
    event.events = events;
    event.data.fd = fd;
    int op = e.in_kernel == 0 ? EPOLL_CTL_ADD : EPOLL_CTL_MOD;
    ++ctl_calls_;
    int result = ::epoll_ctl(epoll_fd_, op, fd, &event);
    // A fd number reused without forget() (closed outside aio): the set knew an older file.
    if (result < 0 && errno == EEXIST) result = ::epoll_ctl(epoll_fd_, op = EPOLL_CTL_MOD, fd, &event);
    if (result < 0 && errno == ENOENT) result = ::epoll_ctl(epoll_fd_, op = EPOLL_CTL_ADD, fd, &event);
    if (result < 0) throw_os_error(errno, "epoll_ctl");
    e.in_kernel = events;
  }

  int epoll(std::optional<Duration> timeout) {
    int milliseconds = -1;
    if (timeout) {
      // Rounded up, as asyncio does: rounding down would wake before the timer and spin.
      const auto ms = std::chrono::ceil<std::chrono::milliseconds>(*timeout).count();
      milliseconds = int(std::clamp<std::int64_t>(ms, 0, 24 * 3600 * 1000));
    }
    int count = ::epoll_wait(epoll_fd_, events_.data(), int(events_.size()), milliseconds);
    if (count < 0) {
      if (errno == EINTR) return 0;  // a signal: the loop comes back here in its next turn
      throw_os_error(errno, "epoll_wait");
    }
    return count;
  }

  // book:dispatch
  // Calls the ready() of the watches whose fd the kernel reported, reader first, then writer.
  // An error or a hang-up wakes both: the next recv or send reports it. An event that found
  // nobody watching (a lazy leftover) takes its bits out of the epoll set.
  void dispatch(int count) {
    for (int i = 0; i < count; ++i) {
      const int fd = events_[i].data.fd;
      const std::uint32_t got = events_[i].events;
      const bool failed = (got & (EPOLLERR | EPOLLHUP)) != 0;
      Entry& e = entries_[fd];
      bool unwatched = false;
      if (failed || (got & EPOLLIN)) {
        if (e.reader != nullptr) {
          e.reader->ready(e.reader);
        } else {
          unwatched = true;
        }
      }
      if (failed || (got & EPOLLOUT)) {
        if (e.writer != nullptr) {
          e.writer->ready(e.writer);
        } else {
          unwatched = true;
        }
      }
      if (unwatched) trim_kernel(fd, entries_[fd]);
    }
    if (std::size_t(count) == events_.size()) events_.resize(events_.size() * 2);
  }
  // end book:dispatch

  EventLoop* loop_;
  bool virtual_clock_;
  bool settled_ = false;
  int epoll_fd_ = -1;
  std::size_t watching_ = 0;
  std::uint64_t ctl_calls_ = 0;
  std::vector<Entry> entries_;  // indexed by fd: fds are small numbers, reused lowest first
  std::vector<epoll_event> events_ = std::vector<epoll_event>(256);
  InboxOwner inbox_;  // keeps the inbox open while this Poller serves it
  InboxWatch inbox_watch_;
  std::unordered_map<std::int64_t, std::unique_ptr<CallbackWatch>> user_watches_;
};

// book:poller-of
/// The Poller of `loop`, installed the first time it is asked for: it takes over the inbox of
/// the waiter the loop has already (lesson 16's, if threads came first), or makes a new one,
/// and becomes the loop's one and only IoWaiter.
inline Poller& poller_of(EventLoop& loop) {
  if (auto* poller = dynamic_cast<Poller*>(loop.io_waiter())) return *poller;
  if (loop.io_waiter() != nullptr && dynamic_cast<HasInbox*>(loop.io_waiter()) == nullptr) {
    throw RuntimeError("aio::poller_of: the loop already has an IoWaiter that is not aio's");
  }
  // The Poller owns the inbox before the old waiter goes, so the inbox never closes meanwhile.
  auto poller = std::make_unique<Poller>(loop, inbox_to_take_over(loop));
  Poller& installed = *poller;
  loop.adopt_io_waiter(std::move(poller));
  return installed;
}
// end book:poller-of

/// asyncio's loop.add_reader(fd, callback): `callback` runs from the ready queue in every
/// iteration in which `fd` is readable, until remove_reader.
inline void add_reader(EventLoop& loop, int fd, std::function<void()> callback) {
  poller_of(loop).add_callback(fd, false, std::move(callback));
}
/// asyncio's loop.remove_reader(fd): true if a reader was registered.
inline bool remove_reader(EventLoop& loop, int fd) { return poller_of(loop).remove_callback(fd, false); }
/// asyncio's loop.add_writer(fd, callback).
inline void add_writer(EventLoop& loop, int fd, std::function<void()> callback) {
  poller_of(loop).add_callback(fd, true, std::move(callback));
}
/// asyncio's loop.remove_writer(fd).
inline bool remove_writer(EventLoop& loop, int fd) { return poller_of(loop).remove_callback(fd, true); }

}  // namespace aio
