"""Lesson 12, demo 1 in Python: demo.cpp mirrors it line for line.

Ten requests to a server that takes 0.2 to 0.6 s to answer each: one after another they take the
sum of their times; all at once, as long as the longest, but with ten in flight; under
asyncio.Semaphore(3), never more than three in flight, for a little more than a third of the
sum. Run it with: python3 lessons/12-sync-primitives/mirror.py (or through
tools/virtual_asyncio.py to skip the waiting).
"""
import asyncio

TENTHS = [3, 5, 2, 4, 6, 3, 2, 5, 4, 3]
WIDTH = 40


class Record:
    def __init__(self):
        self.start = [0.0] * len(TENTHS)
        self.end = [0.0] * len(TENTHS)
        self.in_flight = 0
        self.most_in_flight = 0


# book:fetch
async def fetch(i, record):
    loop = asyncio.get_running_loop()
    record.start[i] = loop.time()
    record.in_flight += 1
    record.most_in_flight = max(record.most_in_flight, record.in_flight)
    await asyncio.sleep(TENTHS[i] / 10)  # the server, as far as we know
    record.in_flight -= 1
    record.end[i] = loop.time()
    return i
# end book:fetch


# book:bounded
async def bounded_fetch(i, record, limit):
    async with limit:  # waits while 3 are in flight
        return await fetch(i, record)


async def at_most_three(record):
    limit = asyncio.Semaphore(3)
    await asyncio.gather(*(bounded_fetch(i, record, limit) for i in range(len(TENTHS))))
# end book:bounded


async def one_after_another(record):
    for i in range(len(TENTHS)):
        await fetch(i, record)


async def all_at_once(record):
    await asyncio.gather(*(fetch(i, record) for i in range(len(TENTHS))))


def draw(record, origin):
    """One row per request: a column is a tenth of a second, '#' marks the time it was in flight."""
    def column(at):
        return int((at - origin) * 10 + 0.5)

    for i in range(len(TENTHS)):
        first, last = column(record.start[i]), min(column(record.end[i]), WIDTH)
        row = " " * first + "#" * (last - first) + " " * (WIDTH - max(first, last))
        print(f"  r{i} |{row}| {record.start[i] - origin:.1f}-{record.end[i] - origin:.1f} s")


async def run_and_draw(title, how):
    loop = asyncio.get_running_loop()
    print(title)
    record = Record()
    origin = loop.time()
    await how(record)
    draw(record, origin)
    print(f"  took {loop.time() - origin:.1f} s, at most {record.most_in_flight} in flight")


async def main():
    await run_and_draw("1. one after another", one_after_another)
    await run_and_draw("2. all at once (gather)", all_at_once)
    await run_and_draw("3. at most three at a time (gather, each under Semaphore(3))", at_most_three)


asyncio.run(main())
