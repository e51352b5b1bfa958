"""Lesson 03: coroutines. The Python program that demo.cpp mirrors, line for line.

No asyncio yet: this program drives its coroutines itself, with coro.send(None), the way asyncio's
Task does underneath. Lesson 04 brings the event loop.

  1. a coroutine object is lazy      calling an async def function runs nothing
  2. driving a coroutine by hand     coro.send(None); StopIteration carries the return value
  3. awaiting a coroutine            await runs it inside the caller; exceptions travel back
  4. hand-written awaitables         __await__: always ready, or yield to the scheduler
  5. a tiny scheduler                a deque of ready coroutines, in turn
  6. deciding whether to suspend     a latch: the last arrival goes straight on
  7. a coroutine never awaited       a RuntimeWarning (on stderr); the frame is freed
  8. a million awaits                the stack does not grow
"""
import collections
import sys
import time


class DeadlockError(RuntimeError):
    """Nothing is ready to run, yet a coroutine waits: nothing will ever wake it."""


# book:scheduler
class Scheduler:
    """A deque of coroutines that are ready to run, and a loop that resumes them in turn."""

    current = None  # the scheduler that is running a coroutine right now

    def __init__(self):
        self.ready = collections.deque()
        self.spawned = []
        self.outcomes = {}  # coroutine -> ("value", v) or ("error", exception), once finished
        self.steps = 0

    def schedule(self, coro):
        self.ready.append(coro)

    def spawn(self, coro):
        self.spawned.append(coro)
        self.schedule(coro)

    def run_one(self):
        if not self.ready:
            return False
        coro = self.ready.popleft()
        previous, Scheduler.current = Scheduler.current, self
        self.steps += 1
        try:
            await_suspend = coro.send(None)         # C++: handle.resume()
        except StopIteration as stop:
            self.outcomes[coro] = ("value", stop.value)
        except Exception as error:
            self.outcomes[coro] = ("error", error)
        else:
            if await_suspend is not None:           # the awaitable says where the coroutine goes
                await_suspend(coro)
        finally:
            Scheduler.current = previous
        return True
    # end book:scheduler

    # book:scheduler-run
    def run(self):
        while self.run_one():
            pass
        for coro in self.spawned:
            self.result_of(coro)                    # raises its exception, or DeadlockError

    def result_of(self, coro):
        if coro not in self.outcomes:
            raise DeadlockError("a coroutine is suspended, and nothing is ready to resume it")
        kind, outcome = self.outcomes[coro]
        if kind == "error":
            raise outcome
        return outcome


def run_sync(coro):
    scheduler = Scheduler()
    scheduler.schedule(coro)
    scheduler.run()
    return scheduler.result_of(coro)
# end book:scheduler-run


# book:awaitables
class Ready:
    """Always ready: `await Ready(42)` is 42, and the coroutine does not suspend."""

    def __init__(self, value):
        self.value = value

    def __await__(self):
        return self.value
        yield  # never reached: it only makes __await__ a generator


class YieldNow:
    """Suspends; the scheduler puts the coroutine at the back of its ready deque."""

    def __await__(self):
        yield Scheduler.current.schedule


class Suspend:
    """Suspends, and leaves the rest to whoever drives the coroutine."""

    def __await__(self):
        yield
# end book:awaitables


# book:latch
class Latch:
    """Nobody goes past arrive_and_wait() until `count` coroutines have arrived."""

    def __init__(self, count):
        self.count = count
        self.waiters = []

    def arrive_and_wait(self):
        return Arrival(self)


class Arrival:
    def __init__(self, latch):
        self.latch = latch

    def __await__(self):
        latch = self.latch
        if latch.count == 0:
            return                                  # already open
        if latch.count > 1:
            latch.count -= 1
            yield latch.waiters.append              # park here until the last one arrives
            return
        latch.count = 0                             # the last arrival opens it ...
        for waiter in latch.waiters:
            Scheduler.current.schedule(waiter)
        latch.waiters.clear()                       # ... and goes on without suspending
# end book:latch


# book:greet
async def greet(name):
    print(f"  hello, {name}")
    return f"greeted {name}"
# end book:greet


# book:two-steps
async def two_steps():
    print("  body: step 1")
    await Suspend()
    print("  body: step 2")
    return 42
# end book:two-steps


# book:await-chain
async def half(n):
    if n % 2 == 1:
        raise ValueError(f"{n} is odd")
    return n // 2


async def outer():
    print("  outer awaits half(84)")
    value = await half(84)
    print(f"  outer got {value}")
    try:
        await half(7)
    except ValueError as error:
        print(f"  outer caught: {error}")
    return value
# end book:await-chain


async def awaitables():
    value = await Ready(42)
    print(f"  await Ready(42) gave {value}")
    await YieldNow()
    print("  after YieldNow: resumed by the scheduler")


async def ticker(name, count):
    for i in range(1, count + 1):
        print(f"  {name} {i}")
        await YieldNow()


async def meet(name, latch):
    print(f"  {name} arrives, {latch.count - 1} still to come")
    await latch.arrive_and_wait()
    print(f"  {name} passes")


# book:ticket
class Ticket:
    def __init__(self, name):
        self.name = name

    def __del__(self):
        print(f"  {self.name} released: the frame is gone")


async def use_ticket(ticket):
    print(f"  using {ticket.name}")  # never printed below
# end book:ticket


def stack_depth():
    depth, frame = 0, sys._getframe()
    while frame is not None:
        depth, frame = depth + 1, frame.f_back
    return depth


# book:million
async def completes_synchronously(probe):
    if probe is not None:
        probe.append(stack_depth())
    return 1


async def await_many(count, depths):
    total = 0
    for i in range(count):
        watched = i == 0 or i == count - 1          # measure the stack at the first and last
        total += await completes_synchronously(depths if watched else None)
    return total
# end book:million


def with_commas(n):
    return f"{n:,}"


def main():
    print("1. calling a coroutine function runs nothing")
    # book:lazy
    coro = greet("Ada")
    print("  made greet('Ada'): nothing printed yet")
    print(f"  run_sync returned {run_sync(coro)!r}")
    # end book:lazy

    print("2. driving a coroutine by hand")
    # book:by-hand
    coro = two_steps()
    coro.send(None)                                 # C++: coro.handle().resume()
    print("  resume 1: the coroutine is suspended")
    try:
        coro.send(None)
    except StopIteration as stop:                   # C++: coro.done(), coro.take_result()
        print(f"  resume 2: the coroutine finished with {stop.value}")
    # end book:by-hand

    print("3. awaiting a coroutine")
    print(f"  outer returned {run_sync(outer())}")

    print("4. hand-written awaitables")
    scheduler = Scheduler()
    scheduler.spawn(awaitables())
    scheduler.run()
    print(f"  the scheduler took {scheduler.steps} steps")

    print("5. a tiny scheduler: coroutines take turns")
    scheduler = Scheduler()
    scheduler.spawn(ticker("ping", 3))
    scheduler.spawn(ticker("pong", 2))
    scheduler.run()
    print(f"  the scheduler took {scheduler.steps} steps")

    print("6. deciding whether to suspend: a latch")
    latch = Latch(3)
    scheduler = Scheduler()
    for name in ("ann", "bob", "cy"):
        scheduler.spawn(meet(name, latch))
    scheduler.run()
    print(f"  the scheduler took {scheduler.steps} steps")

    print("7. a coroutine that is never awaited")
    # book:never-awaited
    use_ticket(Ticket("the ticket"))  # stderr: RuntimeWarning: coroutine ... was never awaited
    print("  use_ticket's body never ran")
    # end book:never-awaited

    print("8. a million awaits of a coroutine that finishes at once")
    count = 1_000_000
    start = time.perf_counter()
    depths = []
    total = run_sync(await_many(count, depths))
    elapsed = time.perf_counter() - start
    print(f"  {with_commas(count)} awaits, total {with_commas(total)}")
    if depths[0] == depths[-1]:
        print("  the stack was as deep at the last await as at the first")
    else:
        print(f"  the stack grew by {depths[-1] - depths[0]}")
    print(f"~ {elapsed:.3f} s, {elapsed / count * 1e9:.0f} ns per await")


if __name__ == "__main__":
    main()
