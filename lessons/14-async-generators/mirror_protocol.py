"""Lesson 14, demo 3 in Python: demo_protocol.cpp mirrors it line for line.

The async iterator protocol by hand (__aiter__, __anext__, StopAsyncIteration) and by
generator, an async generator expression, batches, and asend/athrow.
"""
import asyncio


def now():
    return f"{asyncio.get_running_loop().time():.1f}"


# book:count-up-class
class CountUp:
    """1, 2, ..., count, one every `interval`, by hand."""

    def __init__(self, count, interval):
        self.count, self.interval, self.position = count, interval, 0

    def __aiter__(self):
        return self

    async def __anext__(self):
        if self.position >= self.count:
            raise StopAsyncIteration
        await asyncio.sleep(self.interval)
        self.position += 1
        return self.position
# end book:count-up-class


async def count_up(count, interval):
    for i in range(1, count + 1):
        await asyncio.sleep(interval)
        yield i


async def show(name, source):
    async for item in source:
        print(f"  {now()} {name}: {item}")


async def batch(source, size):
    items = []
    async for item in source:
        items.append(item)
        if len(items) == size:
            yield items
            items = []
    if items:
        yield items


async def echo():
    received = None
    while True:
        try:
            received = yield f"echo {received}"
        except ValueError as error:
            received = f"error '{error}' handled"


async def main():
    print("1. by hand and by generator")
    await show("class", CountUp(3, 0.5))
    await show("generator", count_up(3, 0.5))

    print("2. (x * 2 async for x in count_up(3))")
    await show("doubled", (x * 2 async for x in count_up(3, 0.1)))

    print("3. batches of 3")
    async for items in batch(count_up(7, 0.1), 3):
        print(f"  {now()} {items}")

    print("4. asend and athrow")
    talk = echo()
    print(f"  {await talk.__anext__()}")
    print(f"  {await talk.asend('hello')}")
    print(f"  {await talk.athrow(ValueError('bad input'))}")
    await talk.aclose()
    print("  closed")


asyncio.run(main())
