// aio::Queue<T>: a first-in, first-out queue between tasks, with backpressure (asyncio.Queue).
//
//   aio::Queue<Job> queue(10);          // at most 10 items; Queue<Job> queue; has no limit
//   co_await queue.put(job);            // waits while the queue is full
//   Job job = co_await queue.get();     // waits while it is empty
//   queue.task_done();                  // one per item got, when its work is finished
//   co_await queue.join();              // waits until every item put has been task_done()
//   queue.shutdown();                   // Python 3.13: puts raise QueueShutDown, and gets do
//                                       // once the queue is empty (at once with immediate=true)
//
// The waiting logic lives in BasicQueue<T, Storage>, once for the three queues of asyncio;
// only the storage differs: aio::Queue keeps a RingBuffer (first in, first out),
// aio::LifoQueue a stack (aio/lifo_queue.hpp), aio::PriorityQueue a heap (aio/priority_queue.hpp).
//
// Who waits, and where they resume. Getters wait in `getters_` and putters in `putters_`, each an
// aio::WaiterList (first come, first served); join() waits in `joiners_`. A put wakes the first
// waiting getter, a get the first waiting putter, always through the loop's ready queue: the
// woken task resumes in a later iteration of the loop, never inside the put() or get() that woke
// it. So a producer keeps running until its own next co_await, as in asyncio.
//
// Holds. The item a put wakes a getter for stays in the buffer until that getter runs, so
// qsize() counts it at once, as asyncio's does; but it is *held* for that getter: no other task
// can take it meanwhile (items_held_ counts them). Likewise a slot freed by a get is held for the
// putter it woke (slots_held_). asyncio holds nothing: there a task that comes in between takes
// the item, and the woken getter finds the queue empty and waits again, at the back of the line.
// aio's awaiter cannot wait twice (it would need a coroutine frame per get), and holding is
// fairer; lessons/13-queues/cpython/newcomer_takes_the_item.py shows asyncio's way. A shutdown
// drops every hold: from then on, whoever comes first takes what is left.
//
// Cancellation. A get or put waiting in its list leaves it and was given nothing. One that was
// woken and then cancelled (too late to leave: its task is already scheduled) sees
// CancelledError all the same, and first passes its wake-up on to the next waiter, so that the
// held item (or slot) is not lost. A cancelled put never inserts its item.
//
// The queue must not move while anyone waits on it (the lists point into it), and must outlive
// every task that waits on it.
#pragma once

#include <aio/errors.hpp>
#include <aio/not_implemented.hpp>
#include <aio/ring_buffer.hpp>
#include <aio/sleep.hpp>
#include <aio/task_base.hpp>
#include <aio/waiter_list.hpp>

#include <concepts>
#include <coroutine>
#include <cstddef>
#include <string>
#include <utility>

namespace aio {

/// What BasicQueue needs from its storage: push an item, pop the next one out, count them.
template <class S, class T>
concept QueueStorage = requires(S storage, const S& view, T item) {
  storage.push(std::move(item));
  { storage.pop() } -> std::same_as<T>;
  { view.size() } -> std::convertible_to<std::size_t>;
};

// book:basic-queue
template <class T, QueueStorage<T> Storage>
class BasicQueue {
public:
  class Get;
  class Put;
  class Join;

  /// maxsize <= 0: no limit (as in asyncio, where a negative maxsize means the same as 0).
  explicit BasicQueue(int maxsize = 0) noexcept : maxsize_(maxsize) {}
  BasicQueue(const BasicQueue&) = delete;
  BasicQueue& operator=(const BasicQueue&) = delete;

  std::size_t qsize() const noexcept { return storage_.size(); }
  int maxsize() const noexcept { return maxsize_; }
  bool empty() const noexcept { return qsize() == 0; }
  /// True when maxsize > 0 items are in the queue; never for an unbounded queue.
  bool full() const noexcept { return maxsize_ > 0 && qsize() >= static_cast<std::size_t>(maxsize_); }
  /// How many items were put and not yet task_done() (asyncio's _unfinished_tasks).
  std::size_t unfinished_tasks() const noexcept { return unfinished_; }
  bool is_shutdown() const noexcept { return shut_down_; }

  /// co_await put(item): waits while the queue is full, then inserts. Throws QueueShutDown
  /// once the queue is shut down.
  [[nodiscard]] Put put(T item) { return Put(*this, std::move(item)); }
  /// co_await get(): waits while no item is free, then removes and returns the next one.
  /// Throws QueueShutDown once the queue is shut down and empty.
  [[nodiscard]] Get get() noexcept { return Get(*this); }
  /// co_await join(): waits until every item put has been marked done with task_done().
  [[nodiscard]] Join join() noexcept { return Join(*this); }

  // ---- ex2: the two sides wake each other -------------------------------------------------
  /// Inserts now, or throws QueueFull (no free slot) or QueueShutDown.
  void put_nowait(T item);
  /// Removes and returns the next item now, or throws QueueEmpty (no free item) or
  /// QueueShutDown (shut down, and no item left).
  T get_nowait();
  // ---- ex4: counting the work done --------------------------------------------------------
  /// Marks one item got earlier as processed; ValueError if every item is already done.
  void task_done();
  // ---- ex5: shutting down -----------------------------------------------------------------
  /// Python 3.13's Queue.shutdown: refuses puts from now on and wakes every waiter; with
  /// `immediate`, also drops the items left and counts them as done.
  void shutdown(bool immediate = false);

private:
  /// An item that no woken getter holds: one that get_nowait() may take now.
  bool item_free() const noexcept { return qsize() > items_held_; }
  /// A slot that no woken putter holds: one that put_nowait() may fill now.
  bool slot_free() const noexcept {
    return maxsize_ <= 0 || qsize() + slots_held_ < static_cast<std::size_t>(maxsize_);
  }

  // ---- ex2 --------------------------------------------------------------------------------
  /// Must get() wait? (Get::await_ready asks.)
  bool get_must_wait() const;
  /// Must put() wait? (Put::await_ready asks.)
  bool put_must_wait() const;
  // ---- ex3: cancellation never loses an item ----------------------------------------------
  /// A get whose wait ended with a cancellation; `waiter` says whether it had been woken.
  void getter_cancelled(const Waiter& waiter);
  /// A put whose wait ended with a cancellation.
  void putter_cancelled(const Waiter& waiter);
  // ---- ex4 --------------------------------------------------------------------------------
  /// Must join() wait?
  bool join_must_wait() const;

  void getter_resumed(Waiter& waiter);
  void putter_resumed(Waiter& waiter);

  Storage storage_;
  int maxsize_;
  std::size_t items_held_ = 0;  // items held for getters woken for them that have not run yet
  std::size_t slots_held_ = 0;  // free slots held for putters woken for them
  std::size_t unfinished_ = 0;  // items put and not yet task_done()
  bool shut_down_ = false;
  WaiterList getters_;
  WaiterList putters_;
  WaiterList joiners_;
};
// end book:basic-queue

// ---- the awaiters: what co_await get(), put(item) and join() do --------------------------------

// book:get-awaiter
/// co_await queue.get(). Its Waiter lives here, in the awaiting coroutine's frame: waiting
/// allocates nothing.
template <class T, QueueStorage<T> Storage>
class [[nodiscard]] BasicQueue<T, Storage>::Get {
public:
  explicit Get(BasicQueue& queue) noexcept : queue_(&queue) {}

  bool await_ready() const { return !queue_->get_must_wait(); }
  void await_suspend(std::coroutine_handle<> at) {
    waiter_.wait_in(queue_->getters_, detail::current_task_for("aio::Queue::get"), at);
  }
  T await_resume() {
    if (waiter_.state() != Waiter::State::idle) queue_->getter_resumed(waiter_);
    return queue_->get_nowait();  // the item held for us, or QueueShutDown
  }

private:
  BasicQueue* queue_;
  Waiter waiter_;
};
// end book:get-awaiter

/// co_await queue.put(item). The item waits here, with the Waiter, until there is room for it.
template <class T, QueueStorage<T> Storage>
class [[nodiscard]] BasicQueue<T, Storage>::Put {
public:
  Put(BasicQueue& queue, T item) : queue_(&queue), item_(std::move(item)) {}

  bool await_ready() const { return !queue_->put_must_wait(); }
  void await_suspend(std::coroutine_handle<> at) {
    waiter_.wait_in(queue_->putters_, detail::current_task_for("aio::Queue::put"), at);
  }
  void await_resume() {
    if (waiter_.state() != Waiter::State::idle) queue_->putter_resumed(waiter_);
    queue_->put_nowait(std::move(item_));  // into the slot held for us, or QueueShutDown
  }

private:
  BasicQueue* queue_;
  T item_;
  Waiter waiter_;
};

/// co_await queue.join().
template <class T, QueueStorage<T> Storage>
class [[nodiscard]] BasicQueue<T, Storage>::Join {
public:
  explicit Join(BasicQueue& queue) noexcept : queue_(&queue) {}

  bool await_ready() const { return !queue_->join_must_wait(); }
  void await_suspend(std::coroutine_handle<> at) {
    waiter_.wait_in(queue_->joiners_, detail::current_task_for("aio::Queue::join"), at);
  }
  void await_resume() {
    if (waiter_.state() != Waiter::State::idle) waiter_.task()->throw_if_cancelled();
  }

private:
  BasicQueue* queue_;
  Waiter waiter_;
};

// ---- after a wait (written for you) ------------------------------------------------------------

// book:resumed
/// A get comes back from its wait. If a put woke it, the item held for it becomes its own to
/// take (unless a shutdown has dropped the holds). If it was cancelled, ex3 decides what becomes
/// of its wake-up, and the CancelledError goes on to the task.
template <class T, QueueStorage<T> Storage>
void BasicQueue<T, Storage>::getter_resumed(Waiter& waiter) {
  if (waiter.woken() && !shut_down_) --items_held_;
  try {
    waiter.task()->throw_if_cancelled();
  } catch (const CancelledError&) {
    getter_cancelled(waiter);
    throw;
  }
}

/// A put comes back from its wait: the same, for the slot held for it. A cancelled put throws
/// here, before Put::await_resume reaches put_nowait: its item is never inserted.
template <class T, QueueStorage<T> Storage>
void BasicQueue<T, Storage>::putter_resumed(Waiter& waiter) {
  if (waiter.woken() && !shut_down_) --slots_held_;
  try {
    waiter.task()->throw_if_cancelled();
  } catch (const CancelledError&) {
    putter_cancelled(waiter);
    throw;
  }
}
// end book:resumed

// ---- ex2: the two sides wake each other --------------------------------------------------------

// book:put-nowait
template <class T, QueueStorage<T> Storage>
void BasicQueue<T, Storage>::put_nowait(T item) {
  if (shut_down_) {
    throw QueueShutDown("put on a queue that was shut down: no more items may be put into it "
                        "(a producer can catch aio::QueueShutDown to stop)");
  }
  if (!slot_free()) {
    throw QueueFull(full()
        ? "put_nowait() on a full queue (maxsize " + std::to_string(maxsize_) +
              "): await put() to wait for a free slot, or check full() first"
        : std::string("put_nowait(): the free slot is held for a put() that was woken for it "
                      "and has not run yet; await put() to wait your turn"));
  }
  storage_.push(std::move(item));
  ++unfinished_;
  // One item, one getter: the first in line, woken through the ready queue. The item stays in
  // the buffer (qsize() counts it), held for that getter until it runs.
  if (getters_.wake_first()) ++items_held_;
}
// end book:put-nowait

// book:get-nowait
template <class T, QueueStorage<T> Storage>
T BasicQueue<T, Storage>::get_nowait() {
  if (!item_free()) {
    if (shut_down_) {
      throw QueueShutDown("get on a queue that was shut down and is empty: no item will come "
                          "any more (a consumer can catch aio::QueueShutDown to stop)");
    }
    throw QueueEmpty(empty()
        ? std::string("get_nowait() on an empty queue: await get() to wait for an item, or "
                      "check empty() first")
        : std::string("get_nowait(): every item is held for a get() that was woken for it and "
                      "has not run yet; await get() to wait your turn"));
  }
  T item = storage_.pop();
  // A slot came free: the first waiting putter gets it, held for it until it runs.
  if (putters_.wake_first()) ++slots_held_;
  return item;
}
// end book:get-nowait

// book:must-wait
template <class T, QueueStorage<T> Storage>
bool BasicQueue<T, Storage>::get_must_wait() const {
  // A shut-down queue never makes anyone wait: get_nowait() gives what is left, or refuses.
  return !item_free() && !shut_down_;
}

template <class T, QueueStorage<T> Storage>
bool BasicQueue<T, Storage>::put_must_wait() const {
  return !slot_free() && !shut_down_;
}
// end book:must-wait

// ---- ex3: cancellation never loses an item -----------------------------------------------------

// book:cancelled
template <class T, QueueStorage<T> Storage>
void BasicQueue<T, Storage>::getter_cancelled(const Waiter& waiter) {
  // Cancelled while listed: the list let it go and it was given nothing. Woken first: the item
  // held for it must go to the next getter in line, or it would sit there while they wait.
  if (!waiter.woken() || shut_down_) return;
  if (item_free() && getters_.wake_first()) ++items_held_;
}

template <class T, QueueStorage<T> Storage>
void BasicQueue<T, Storage>::putter_cancelled(const Waiter& waiter) {
  if (!waiter.woken() || shut_down_) return;
  if (slot_free() && putters_.wake_first()) ++slots_held_;
}
// end book:cancelled

// ---- ex4: counting the work done ---------------------------------------------------------------

// book:task-done
template <class T, QueueStorage<T> Storage>
void BasicQueue<T, Storage>::task_done() {
  if (unfinished_ == 0) {
    throw ValueError("task_done() called too many times: call it once for each item that get() "
                     "returned, when the work on that item is finished");
  }
  if (--unfinished_ == 0) joiners_.wake_all();
}

template <class T, QueueStorage<T> Storage>
bool BasicQueue<T, Storage>::join_must_wait() const {
  return unfinished_ > 0;
}
// end book:task-done

// ---- ex5: shutting down ------------------------------------------------------------------------

// book:shutdown
template <class T, QueueStorage<T> Storage>
void BasicQueue<T, Storage>::shutdown(bool immediate) {
  shut_down_ = true;
  items_held_ = slots_held_ = 0;  // no more holds: whoever runs first takes what is left
  if (immediate) {
    // Drop the items; each one counts as done, so that join() can return.
    while (qsize() > 0) {
      storage_.pop();
      if (unfinished_ > 0) --unfinished_;
    }
    if (unfinished_ == 0) joiners_.wake_all();
  }
  // Every waiter comes back to look again: getters find the queue empty (or an item left), and
  // putters are refused.
  getters_.wake_all();
  putters_.wake_all();
}
// end book:shutdown

// ---- the first-in, first-out queue -------------------------------------------------------------

/// A RingBuffer in the shape BasicQueue wants.
template <class T>
class FifoStorage {
public:
  void push(T item) { items_.push_back(std::move(item)); }
  T pop() { return items_.pop_front(); }
  std::size_t size() const noexcept { return items_.size(); }

private:
  RingBuffer<T> items_;
};

// book:queue
/// asyncio.Queue: items come out in the order they were put in.
template <class T>
class Queue : public BasicQueue<T, FifoStorage<T>> {
public:
  using BasicQueue<T, FifoStorage<T>>::BasicQueue;
};
// end book:queue

}  // namespace aio
