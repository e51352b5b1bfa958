import asyncio


async def drain(queue):
    items = []
    while not queue.empty():
        items.append(await queue.get())
    return items


async def main():
    for kind in (asyncio.Queue, asyncio.LifoQueue, asyncio.PriorityQueue):
        queue = kind()
        for item in (3, 1, 2):
            queue.put_nowait(item)
        print(kind.__name__, await drain(queue))


asyncio.run(main())
