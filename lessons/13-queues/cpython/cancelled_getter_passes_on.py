"""A getter cancelled after put_nowait woke it (too late to leave the line) raises
CancelledError, and first wakes the next getter, so that the item is not lost: that getter runs
one iteration later. A getter cancelled while still in the line just leaves it.
(test_queue.cpp: "a get cancelled after its wake-up passes the item on")"""
import asyncio


async def ticker(ticks):
    for i in range(ticks):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def getter(queue, name):
    try:
        item = await queue.get()
    except asyncio.CancelledError:
        print(f"{name} cancelled")
        raise
    print(f"{name} got {item}")


async def main():
    queue = asyncio.Queue()
    a = asyncio.create_task(getter(queue, "a"))
    b = asyncio.create_task(getter(queue, "b"))
    c = asyncio.create_task(getter(queue, "c"))
    await asyncio.sleep(0)
    ticks = asyncio.create_task(ticker(4))
    b.cancel()  # still in the line: it leaves it
    queue.put_nowait("x")  # wakes a
    a.cancel()  # too late to leave: a passes its wake-up on
    print(f"put x, cancelled a and b; qsize {queue.qsize()}")
    await asyncio.gather(a, b, c, ticks, return_exceptions=True)
    print(f"qsize {queue.qsize()}")


asyncio.run(main())

# expect 3.11:
# put x, cancelled a and b; qsize 1
# tick 0
# b cancelled
# a cancelled
# tick 1
# c got x
# tick 2
# tick 3
# qsize 0
