"""Queue.shutdown() (new in Python 3.13): puts raise QueueShutDown at once; gets still take the
items left, and raise QueueShutDown once the queue is empty; every waiting get and put is woken
and raises. Python 3.11 and 3.12 have no shutdown.
(test_queue.cpp: "shutdown wakes waiting getters and putters, which raise QueueShutDown")"""
import asyncio
import sys


async def getter(queue, name):
    try:
        item = await queue.get()
    except Exception as error:
        print(f"{name}: {type(error).__name__}")
        return
    print(f"{name} got {item}")


async def putter(queue, item):
    try:
        await queue.put(item)
    except Exception as error:
        print(f"put {item}: {type(error).__name__}")
        return
    print(f"put {item}")


async def main():
    if not hasattr(asyncio.Queue, "shutdown"):
        print("asyncio.Queue has no shutdown() before Python 3.13")
        return
    empty = asyncio.Queue()
    waiting = [asyncio.create_task(getter(empty, name)) for name in ("g1", "g2")]
    full = asyncio.Queue(1)
    full.put_nowait("first")
    blocked = asyncio.create_task(putter(full, "p"))
    await asyncio.sleep(0)
    empty.shutdown()
    full.shutdown()
    print("shut down both")
    await asyncio.gather(*waiting, blocked)
    await putter(empty, "late")
    await getter(full, "g3")
    await getter(full, "g4")


asyncio.run(main())

# expect 3.11:
# asyncio.Queue has no shutdown() before Python 3.13
# expect 3.13:
# shut down both
# g1: QueueShutDown
# g2: QueueShutDown
# put p: QueueShutDown
# put late: QueueShutDown
# g3 got first
# g4: QueueShutDown
