"""Lesson 12, demo 2 in Python: demo_cache.cpp mirrors it line for line.

A small asynchronous cache, least-recently-used with a time-to-live, whose values take a second
to compute. Without a lock, three callers that miss the same key at once compute it three
times; with an asyncio.Lock held across the lookup and the computation, once.
"""
import asyncio
import contextlib
from collections import OrderedDict


def now():
    return f"{asyncio.get_running_loop().time():.1f}"


# book:cache
class Cache:
    """At most `capacity` values, each kept for `ttl` seconds; the least recently used goes first."""

    def __init__(self, capacity, ttl, locked):
        self.capacity, self.ttl, self.locked = capacity, ttl, locked
        self.lock = asyncio.Lock()
        self.entries = OrderedDict()  # key -> (value, expires), most recently used last
        self.computations = 0

    async def get(self, key, caller):
        """The value for `key`, computed once if it is missing or expired."""
        async with (self.lock if self.locked else contextlib.nullcontext()):
            value = self.lookup(key)
            if value is not None:
                print(f"{now()} {caller}: {key} is cached")
                return value
            print(f"{now()} {caller}: {key} is missing, computing it")
            value = await self.compute(key)
            self.store(key, value)
            return value
# end book:cache

    async def compute(self, key):
        self.computations += 1
        await asyncio.sleep(1)  # the slow part
        return f"profile of {key}"

    def lookup(self, key):
        if key not in self.entries:
            return None
        value, expires = self.entries[key]
        if expires <= asyncio.get_running_loop().time():
            print(f"{now()}   ({key} expired)")
            del self.entries[key]
            return None
        self.entries.move_to_end(key)
        return value

    def store(self, key, value):
        self.entries.pop(key, None)  # computed twice, without a lock
        self.entries[key] = (value, asyncio.get_running_loop().time() + self.ttl)
        if len(self.entries) > self.capacity:
            oldest = next(iter(self.entries))
            print(f"{now()}   ({oldest} evicted: least recently used)")
            del self.entries[oldest]


async def caller(cache, key, name):
    value = await cache.get(key, name)
    print(f"{now()} {name}: got {value}")


async def three_callers(cache):
    origin = asyncio.get_running_loop().time()
    await asyncio.gather(*(caller(cache, "alice", name) for name in ("caller 1", "caller 2", "caller 3")))
    print(f"  computations: {cache.computations}, took {asyncio.get_running_loop().time() - origin:.1f} s")


async def main():
    print("== without a lock: three callers miss alice at once")
    await three_callers(Cache(2, 5, locked=False))

    print("== with a Lock: three callers miss alice at once")
    cache = Cache(2, 5, locked=True)
    await three_callers(cache)

    print("== least recently used, and time-to-live (capacity 2, ttl 5 s)")
    for key in ("bob", "alice", "carol", "bob"):
        await caller(cache, key, "main")
    await asyncio.sleep(4)
    await caller(cache, "bob", "main")
    await caller(cache, "carol", "main")
    print(f"  computations: {cache.computations}")


asyncio.run(main())
