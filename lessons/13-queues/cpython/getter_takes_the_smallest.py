"""A getter woken by a put takes the item that comes first when it runs, not the one whose put
woke it: here 5 wakes the getter, 1 arrives before it runs, and it gets 1. The same holds for
a LifoQueue (it gets the newest).
(test_queue_kinds.cpp: "a woken getter takes the item first in order when it runs")"""
import asyncio


async def getter(queue, name):
    item = await queue.get()
    print(f"{name} got {item}")


async def main():
    for queue in (asyncio.PriorityQueue(), asyncio.LifoQueue()):
        task = asyncio.create_task(getter(queue, type(queue).__name__))
        await asyncio.sleep(0)
        queue.put_nowait(5)
        queue.put_nowait(1)
        queue.put_nowait(3)
        await task
        print(f"left: {queue.get_nowait()} {queue.get_nowait()}")


asyncio.run(main())

# expect 3.11:
# PriorityQueue got 1
# left: 3 5
# LifoQueue got 3
# left: 1 5
