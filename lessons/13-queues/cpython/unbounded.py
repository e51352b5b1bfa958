"""maxsize 0 (the default) or below means no limit: full() is never true and maxsize keeps the
value given. get_nowait() on an empty queue raises QueueEmpty, put_nowait() on a full one
QueueFull, both with no message. (test_queue.cpp: "maxsize 0 or below means no limit")"""
import asyncio


async def main():
    for maxsize in (0, -1):
        queue = asyncio.Queue(maxsize)
        for i in range(1000):
            queue.put_nowait(i)
        print(f"maxsize {queue.maxsize}: qsize {queue.qsize()}, full {queue.full()}")
    try:
        asyncio.Queue().get_nowait()
    except asyncio.QueueEmpty as error:
        print(f"QueueEmpty {error!r}")
    full = asyncio.Queue(1)
    full.put_nowait(1)
    try:
        full.put_nowait(2)
    except asyncio.QueueFull as error:
        print(f"QueueFull {error!r}, full {full.full()}")


asyncio.run(main())

# expect 3.11:
# maxsize 0: qsize 1000, full False
# maxsize -1: qsize 1000, full False
# QueueEmpty QueueEmpty()
# QueueFull QueueFull(), full True
