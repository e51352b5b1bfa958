import asyncio


async def producer(queue):
    for item in range(3):
        await queue.put(item)
        print("put", item)
    await queue.put(None)


async def consumer(queue):
    while (item := await queue.get()) is not None:
        print("got", item)


async def main():
    queue = asyncio.Queue(maxsize=1)
    await asyncio.gather(producer(queue), consumer(queue))


asyncio.run(main())
