"""A put cancelled while it waits for room inserts nothing; one cancelled after a get woke it
passes the free slot on to the next putter, one iteration later.
(test_queue.cpp: "a cancelled put never inserts its item", "a put cancelled after its wake-up
passes the slot on")"""
import asyncio


async def ticker(ticks):
    for i in range(ticks):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def putter(queue, item):
    try:
        await queue.put(item)
    except asyncio.CancelledError:
        print(f"put {item} cancelled")
        raise
    print(f"put {item}")


async def main():
    queue = asyncio.Queue(1)
    queue.put_nowait("first")
    p = asyncio.create_task(putter(queue, "p"))
    q = asyncio.create_task(putter(queue, "q"))
    r = asyncio.create_task(putter(queue, "r"))
    await asyncio.sleep(0)
    q.cancel()  # waiting: leaves the line
    await asyncio.sleep(0)
    print(f"qsize {queue.qsize()}")
    ticks = asyncio.create_task(ticker(3))
    print(f"got {queue.get_nowait()}")  # wakes p
    p.cancel()  # too late to leave: p passes the slot on to r
    await asyncio.gather(p, q, r, ticks, return_exceptions=True)
    print(f"got {queue.get_nowait()}, qsize {queue.qsize()}")


asyncio.run(main())

# expect 3.11:
# put q cancelled
# qsize 1
# got first
# tick 0
# put p cancelled
# tick 1
# put r
# tick 2
# got r, qsize 0
