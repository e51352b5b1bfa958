// aio::Inbox: how other threads hand work to the loop (loop.call_soon_threadsafe).
//
//   aio::Inbox& inbox = aio::inbox_of(loop);             // on the loop's thread, once
//   std::thread worker([inbox = inbox.shared_from_this()] {
//     inbox->post([] { std::puts("runs on the loop's thread"); });
//   });
//
// The loop's ready queue belongs to the loop's thread: nobody else may touch it. So a thread
// that wants something to run on the loop puts it in the inbox, a queue guarded by a mutex,
// and rings a bell, an eventfd: a file descriptor that turns readable when written to. The
// loop waits on that descriptor (with poll() here, with epoll in lesson 17, where the same
// descriptor is one more reader among the sockets), and when it wakes it drains the inbox:
// every posted callback moves to the ready queue, in posting order. A loop with no time limit
// does not even poll: reading a silent bell waits until it rings, so drain() is the wait.
//
// Where a posted callback runs: on the loop's thread, in a later iteration of the loop, after
// what was ready before the inbox was drained. Never inside post().
//
// Two rules keep it cheap and correct:
//   - the bell rings only when the inbox goes from empty to non-empty: one write wakes the loop
//     for a whole batch, and a loop that is awake already is not woken again;
//   - drain() empties the bell before it takes the batch, never after: a post that lands in
//     between rings again, so no post sits in the inbox while the bell is silent.
//
// The virtual clock (lesson 04) jumps to the next timer when nothing is ready, unless the
// loop's IoWaiter says that work outside the loop is under way. The inbox says so while a
// callback waits in it, and while an OutsideWork token is alive: a job handed to a thread holds
// one until its result is delivered, so `wait_for(to_thread(job), 1s)` waits for the job in
// real time instead of timing out at once.
//
// Ownership: an Inbox is held by std::shared_ptr. The loop's IoWaiter holds it through an
// InboxOwner; worker threads hold plain shared_ptr copies, so that a worker can still post (and
// be told EventLoopClosed) after the loop is gone. When the last InboxOwner goes (the loop is
// being destroyed), the inbox closes: later posts throw EventLoopClosed, and callbacks that
// never ran are destroyed and reported through the loop's exception handler.
#pragma once

#include <aio/errors.hpp>
#include <aio/event_loop.hpp>
#include <aio/not_implemented.hpp>
#include <aio/task_base.hpp>

#include <poll.h>
#include <sys/eventfd.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cstddef>
#include <cstdint>
#include <ctime>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <system_error>
#include <thread>
#include <unordered_map>
#include <utility>

namespace aio {

class ThreadPoolExecutor;  // aio/thread_pool.hpp

/// A callback was posted to a loop that is closed (asyncio raises RuntimeError('Event loop is
/// closed') from call_soon_threadsafe on a closed loop).
class EventLoopClosed : public RuntimeError {
public:
  EventLoopClosed() : RuntimeError("Event loop is closed") {}
};

namespace detail {

/// One posted callback, linked into a queue: the only allocation a post makes. run() is handed
/// the node's own unique_ptr: a node dies at the end of its run, unless it passes itself on (an
/// executor job goes from the pool's queue to the inbox that way, aio/run_in_executor.hpp).
struct Posted {
  Posted* next = nullptr;
  virtual ~Posted() = default;
  virtual void run(std::unique_ptr<Posted> self) = 0;
};

template <class F>
struct PostedCall final : Posted {
  explicit PostedCall(F f) : function(std::move(f)) {}
  void run(std::unique_ptr<Posted> /*self*/) override { function(); }
  F function;
};

/// A FIFO of posted callbacks, linked through Posted::next; it owns them.
class PostedList {
public:
  PostedList() = default;
  PostedList(const PostedList&) = delete;
  PostedList& operator=(const PostedList&) = delete;
  /// Takes every node of `other`, which is left empty.
  PostedList(PostedList&& other) noexcept
      : head_(std::exchange(other.head_, nullptr)),
        tail_(head_ == nullptr ? &head_ : std::exchange(other.tail_, &other.head_)),
        size_(std::exchange(other.size_, 0)) {}
  PostedList& operator=(PostedList&&) = delete;
  ~PostedList() { destroy_all(); }

  bool empty() const noexcept { return head_ == nullptr; }
  std::size_t size() const noexcept { return size_; }

  void push(std::unique_ptr<Posted> node) noexcept {
    *tail_ = node.release();
    tail_ = &(*tail_)->next;
    ++size_;
  }
  std::unique_ptr<Posted> pop() noexcept {
    std::unique_ptr<Posted> node(head_);
    head_ = head_->next;
    if (head_ == nullptr) tail_ = &head_;
    node->next = nullptr;
    --size_;
    return node;
  }
  /// Destroys every callback without running it; returns how many there were.
  std::size_t destroy_all() noexcept {
    const std::size_t count = size_;
    while (!empty()) pop();
    return count;
  }

private:
  Posted* head_ = nullptr;
  Posted** tail_ = &head_;  // where the next push links its node
  std::size_t size_ = 0;
};

}  // namespace detail

// book:inbox-api
class Inbox : public std::enable_shared_from_this<Inbox> {
public:
  /// A new, open inbox for `loop`. Its callbacks run once the loop's IoWaiter drains it.
  static std::shared_ptr<Inbox> create(EventLoop& loop);

  Inbox(const Inbox&) = delete;
  Inbox& operator=(const Inbox&) = delete;
  ~Inbox();

  EventLoop& loop() const noexcept { return *loop_; }
  /// The bell: readable while posts wait in the inbox. The loop's IoWaiter waits on it.
  int fd() const noexcept { return fd_; }

  // ---- any thread --------------------------------------------------------------------------
  /// Runs `function()` on the loop's thread, in a later iteration (loop.call_soon_threadsafe).
  /// Throws EventLoopClosed once the loop is gone.
  template <class F>
  void post(F function) {
    post_node(std::make_unique<detail::PostedCall<F>>(std::move(function)));
  }
  /// The same for a callback already made. The inbox takes `node` only if the post succeeds:
  /// when it throws, the caller still holds it (and decides on which thread it dies).
  void post_node(std::unique_ptr<detail::Posted>&& node);

  /// Work under way outside the loop (a job in a worker thread) that will post its result:
  /// while any is counted, has_pending() is true and the virtual clock waits for it.
  void begin_outside_work() noexcept { outside_work_.fetch_add(1, std::memory_order_relaxed); }
  /// The end of such work. Ended elsewhere than on the loop's thread, the last one rings the
  /// bell: the loop may be waiting for it with no time limit, and must look again.
  void end_outside_work() noexcept {
    const bool last = outside_work_.fetch_sub(1, std::memory_order_acq_rel) == 1;
    if (last && std::this_thread::get_id() != loop_thread_) ring_bell();
  }

  /// True while a callback waits in the inbox or outside work is under way.
  bool has_pending() const { return outside_work_.load(std::memory_order_acquire) > 0 || has_posts(); }

  /// True while a callback waits in the inbox (posted, not yet drained).
  bool has_posts() const {
    std::lock_guard lock(mutex_);
    return !posted_.empty();
  }

  /// How many times post() has rung the bell: once per batch, not once per post.
  std::uint64_t bells() const noexcept { return bells_.load(std::memory_order_relaxed); }

  // ---- the loop's thread -------------------------------------------------------------------
  /// Moves every posted callback to the loop's ready queue, in posting order.
  void drain();
// end book:inbox-api

  bool closed() const {
    std::lock_guard lock(mutex_);
    return closed_;
  }
  /// Refuses posts from now on, and destroys (and reports) callbacks that never ran. Called when
  /// the last InboxOwner goes, while the loop is being destroyed.
  void close();

  /// The loop's default executor (made by to_thread on first use, aio/run_in_executor.hpp).
  /// Dropped when the inbox closes, which waits for its jobs, as asyncio.run does at its end.
  /// The loop's thread only.
  std::shared_ptr<ThreadPoolExecutor> default_executor;

  /// For InboxOwner: how many IoWaiters serve this inbox.
  void add_owner() noexcept { ++owners_; }
  void remove_owner() {
    if (--owners_ == 0) close();
  }

private:
  // Made on the loop's thread (inbox_of), which it remembers.
  explicit Inbox(EventLoop& loop)
      : loop_(&loop), loop_thread_(std::this_thread::get_id()), fd_(::eventfd(0, EFD_CLOEXEC)) {
    if (fd_ < 0) throw std::system_error(errno, std::generic_category(), "aio::Inbox: eventfd");
  }

  /// Writes to the eventfd: the descriptor turns readable and a poll() on it returns.
  void ring_bell() noexcept {
    const std::uint64_t one = 1;
    [[maybe_unused]] const auto written = ::write(fd_, &one, sizeof one);
    bells_.fetch_add(1, std::memory_order_relaxed);
  }
  /// Reads the eventfd: it turns silent again (until the next ring). The descriptor is blocking:
  /// on a silent bell the read waits for the next ring.
  void silence_bell() noexcept {
    std::uint64_t count = 0;
    [[maybe_unused]] const auto read = ::read(fd_, &count, sizeof count);
  }

  /// Everything posted so far, leaving the inbox empty.
  detail::PostedList take_posted() {
    std::lock_guard lock(mutex_);
    return std::move(posted_);
  }

  // A ready-queue entry of the loop: runs the oldest delivered callback. Delivered callbacks
  // wait in delivered_ (not loose in the ready queue), so that a loop destroyed before their
  // turn still finds and destroys them.
  static void run_delivered(void* inbox) {
    auto& self = *static_cast<Inbox*>(inbox);
    if (self.delivered_.empty()) return;  // closed meanwhile
    std::unique_ptr<detail::Posted> callback = self.delivered_.pop();
    detail::Posted& running = *callback;
    running.run(std::move(callback));
  }

  EventLoop* loop_;
  std::thread::id loop_thread_;
  int fd_;
  mutable std::mutex mutex_;
  detail::PostedList posted_;  // guarded by mutex_: posted, not yet drained
  bool closed_ = false;        // guarded by mutex_
  std::atomic<int> outside_work_{0};
  std::atomic<std::uint64_t> bells_{0};
  detail::PostedList delivered_;  // the loop's thread only: drained, waiting in the ready queue
  int owners_ = 0;                // the loop's thread only
};

// book:post
inline void Inbox::post_node([[maybe_unused]] std::unique_ptr<detail::Posted>&& node) {
  AIO_TODO("l16.ex1", "queue it under the lock; ring the bell only if the loop has not been told yet (see 'Step 1: the inbox')");
}
// end book:post

// book:drain
inline void Inbox::drain() {
  AIO_TODO("l16.ex1", "silence the bell, take the batch, hand it to the ready queue in order (see 'Step 1: the inbox')");
}
// end book:drain

namespace detail {

/// Which inbox serves which loop, for call_soon_threadsafe from other threads: a thread may
/// look here at any time, while only the loop's thread may look at the loop itself.
class InboxRegistry {
public:
  static InboxRegistry& instance() {
    static InboxRegistry registry;
    return registry;
  }
  void add(const EventLoop& loop, const std::shared_ptr<Inbox>& inbox) {
    std::lock_guard lock(mutex_);
    inboxes_[&loop] = inbox;
  }
  /// The loop's inbox; empty if the loop never had one. A closed inbox is still found (and
  /// refuses posts) until its memory goes.
  std::weak_ptr<Inbox> find(const EventLoop& loop) {
    std::lock_guard lock(mutex_);
    const auto it = inboxes_.find(&loop);
    return it == inboxes_.end() ? std::weak_ptr<Inbox>() : it->second;
  }
  bool knows(const EventLoop& loop) {
    std::lock_guard lock(mutex_);
    return inboxes_.count(&loop) != 0;
  }
  /// Forgets `inbox`, which is going: a closed inbox is found (and refuses posts) for as long
  /// as it exists, and no longer, so that a new loop at the same address starts afresh.
  void remove(const EventLoop& loop, const Inbox& inbox) {
    std::lock_guard lock(mutex_);
    const auto it = inboxes_.find(&loop);
    if (it == inboxes_.end()) return;
    const std::shared_ptr<Inbox> current = it->second.lock();
    if (current == nullptr || current.get() == &inbox) inboxes_.erase(it);
  }

private:
  std::mutex mutex_;
  std::unordered_map<const EventLoop*, std::weak_ptr<Inbox>> inboxes_;
};

}  // namespace detail

inline std::shared_ptr<Inbox> Inbox::create(EventLoop& loop) {
  std::shared_ptr<Inbox> inbox(new Inbox(loop));
  detail::InboxRegistry::instance().add(loop, inbox);
  return inbox;
}

inline Inbox::~Inbox() {
  detail::InboxRegistry::instance().remove(*loop_, *this);
  ::close(fd_);
}

inline void Inbox::close() {
  {
    std::lock_guard lock(mutex_);
    if (closed_) return;
    closed_ = true;
  }
  default_executor.reset();  // waits for the jobs under way; what they post now is refused
  const std::size_t lost = take_posted().destroy_all() + delivered_.destroy_all();
  if (lost > 0) {
    loop_->call_exception_handler("Event loop closed with " + std::to_string(lost) +
                                  " callback(s) posted from other threads that never ran");
  }
}

/// What an IoWaiter holds to serve an inbox. While one exists the inbox stays open; when the
/// last one goes, the inbox closes. A waiter that replaces another (lesson 17's poller) builds
/// its own InboxOwner from the old waiter's inbox first, so the inbox stays open across the
/// change.
class InboxOwner {
public:
  explicit InboxOwner(std::shared_ptr<Inbox> inbox) : inbox_(std::move(inbox)) { inbox_->add_owner(); }
  InboxOwner(const InboxOwner&) = delete;
  InboxOwner& operator=(const InboxOwner&) = delete;
  ~InboxOwner() { inbox_->remove_owner(); }

  Inbox& operator*() const noexcept { return *inbox_; }
  Inbox* operator->() const noexcept { return inbox_.get(); }
  const std::shared_ptr<Inbox>& shared() const noexcept { return inbox_; }

private:
  std::shared_ptr<Inbox> inbox_;
};

/// An IoWaiter that carries an inbox (lesson 16's InboxWaiter, lesson 17's poller).
class HasInbox {
public:
  virtual ~HasInbox() = default;
  virtual std::shared_ptr<Inbox> inbox() = 0;
};

// book:inbox-waiter
/// The IoWaiter of a program that uses threads and no sockets: it sleeps in poll() on the
/// inbox's bell until the timeout, and drains the inbox when the bell rings; with no timeout it
/// sleeps in drain() itself.
class InboxWaiter final : public IoWaiter, public HasInbox {
public:
  explicit InboxWaiter(std::shared_ptr<Inbox> inbox) : inbox_(std::move(inbox)) {}

  void wait(std::optional<Duration> timeout) override {
    // No time limit: drain() waits by itself, in the read that silences the bell. One system
    // call where poll() and then read() would make two, on the path of every round trip.
    if (!timeout) {
      inbox_->drain();
      return;
    }
    // A busy loop asks for a look without waiting at every iteration: a glance at the inbox
    // under its lock answers that without a system call, unless something was posted.
    if (*timeout <= Duration{0} && !inbox_->has_posts()) return;
    // Here the read in drain() must not wait: drain only if the bell rang. (A post whose poster
    // has not rung yet is taken at the next look.)
    pollfd bell{inbox_->fd(), POLLIN, 0};
    const auto ns = std::chrono::duration_cast<std::chrono::nanoseconds>(std::max(*timeout, Duration{0})).count();
    const timespec limit{static_cast<std::time_t>(ns / 1'000'000'000), static_cast<long>(ns % 1'000'000'000)};
    const int ready = ::ppoll(&bell, 1, &limit, nullptr);
    if (ready > 0) inbox_->drain();  // (-1 with EINTR: a signal; the loop comes back)
  }
  bool has_pending() const override { return inbox_->has_pending(); }
  std::shared_ptr<Inbox> inbox() override { return inbox_.shared(); }

private:
  InboxOwner inbox_;
};
// end book:inbox-waiter

/// The inbox of `loop`, made (with an InboxWaiter adopted by the loop) the first time it is
/// asked for. Call it on the loop's thread, before other threads post to the loop.
inline Inbox& inbox_of(EventLoop& loop) {
  if (auto* has = dynamic_cast<HasInbox*>(loop.io_waiter())) return *has->inbox();
  if (loop.io_waiter() != nullptr) {
    throw RuntimeError("aio::inbox_of: the loop's IoWaiter has no inbox to share");
  }
  auto inbox = Inbox::create(loop);
  loop.adopt_io_waiter(std::make_unique<InboxWaiter>(inbox));
  return *inbox;
}

/// For an IoWaiter about to replace the loop's current one: the current waiter's inbox, or a
/// new one if it has none. The new waiter holds it in an InboxOwner, then is adopted.
inline std::shared_ptr<Inbox> inbox_to_take_over(EventLoop& loop) {
  if (auto* has = dynamic_cast<HasInbox*>(loop.io_waiter())) return has->inbox();
  return Inbox::create(loop);
}

/// Keeps a loop's virtual clock from jumping while work outside the loop is under way: begins
/// on construction, ends on destruction (on any thread). Move-only.
// book:outside-work
class OutsideWork {
public:
  explicit OutsideWork(Inbox& inbox) : inbox_(inbox.shared_from_this()) { inbox_->begin_outside_work(); }
  OutsideWork(OutsideWork&&) noexcept = default;
  OutsideWork& operator=(OutsideWork&&) = delete;
  OutsideWork(const OutsideWork&) = delete;
  ~OutsideWork() {
    if (inbox_) inbox_->end_outside_work();
  }

private:
  std::shared_ptr<Inbox> inbox_;
};
// end book:outside-work

namespace detail {

/// The inbox through which other threads reach `loop`; any thread. Made here only on the
/// loop's own thread; elsewhere a loop without one is an error that says what to do.
inline std::shared_ptr<Inbox> inbox_for_threads(EventLoop& loop, const char* caller) {
  if (std::shared_ptr<Inbox> inbox = InboxRegistry::instance().find(loop).lock()) return inbox;
  if (running_loop == &loop) return inbox_of(loop).shared_from_this();
  if (InboxRegistry::instance().knows(loop)) throw EventLoopClosed();
  throw RuntimeError(std::string("aio::") + caller +
                     ": this loop has no inbox yet; call aio::inbox_of(loop) on the loop's thread "
                     "before other threads post to it");
}

}  // namespace detail

// book:call-soon-threadsafe
/// Runs `function()` on `loop`'s thread in a later iteration; callable from any thread
/// (asyncio's loop.call_soon_threadsafe). The loop must have its inbox already (inbox_of,
/// to_thread and run_in_executor make it on the loop's thread), or be the running loop of this
/// thread. Throws EventLoopClosed once the loop is gone.
template <class F>
void call_soon_threadsafe(EventLoop& loop, F function) {
  detail::inbox_for_threads(loop, "call_soon_threadsafe")->post(std::move(function));
}
// end book:call-soon-threadsafe

}  // namespace aio
