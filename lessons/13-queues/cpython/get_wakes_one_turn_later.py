"""put_nowait wakes the first waiting getter, one item one getter, through the ready queue: the
getters run one loop iteration later, in the order they came, and qsize() counts the items at
once. (test_queue.cpp: "put wakes waiting getters, one per item, in the order they came")"""
import asyncio


async def ticker(ticks):
    for i in range(ticks):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def getter(queue, name):
    print(f"{name} waits")
    item = await queue.get()
    print(f"{name} got {item}")


async def main():
    queue = asyncio.Queue()
    getters = [asyncio.create_task(getter(queue, name)) for name in ("a", "b", "c")]
    await asyncio.sleep(0)
    ticks = asyncio.create_task(ticker(3))
    queue.put_nowait("x")
    queue.put_nowait("y")
    print(f"put x and y: qsize {queue.qsize()}")
    await ticks
    print(f"c still waits: {not getters[2].done()}")
    queue.put_nowait("z")
    await asyncio.gather(*getters)


asyncio.run(main())

# expect 3.11:
# a waits
# b waits
# c waits
# put x and y: qsize 2
# tick 0
# a got x
# b got y
# tick 1
# tick 2
# c still waits: True
# c got z
