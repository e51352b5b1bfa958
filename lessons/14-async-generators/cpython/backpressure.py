"""A bounded buffer between a fast producer and a slow consumer: a producer task puts the
source's values in an asyncio.Queue(maxsize), an async generator gets them. The producer runs
at most maxsize values ahead (plus the one it holds while its put() waits), and the source's
cleanup runs once its last value is in the queue.
(test_buffered.cpp: "a fast producer runs at most maxsize values ahead")"""
import asyncio

END = object()


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def source(count, interval):
    try:
        for i in range(1, count + 1):
            await asyncio.sleep(interval)
            print(f"{elapsed()} made {i}")
            yield i
    finally:
        print(f"{elapsed()} source cleanup")


async def pump(values, queue):
    async for value in values:
        await queue.put(value)
    await queue.put(END)


async def buffered(values, maxsize):
    queue = asyncio.Queue(maxsize)
    producer = asyncio.create_task(pump(values, queue))
    try:
        while (value := await queue.get()) is not END:
            yield value
    finally:
        producer.cancel()


async def slow_reader(values, work):
    async for value in values:
        print(f"{elapsed()} used {value}")
        await asyncio.sleep(work)
    print(f"{elapsed()} the end")


asyncio.run(slow_reader(buffered(source(5, 0.1), 2), 1))

# expect 3.11:
# 0.1 made 1
# 0.1 used 1
# 0.2 made 2
# 0.3 made 3
# 0.4 made 4
# 1.1 used 2
# 1.2 made 5
# 2.1 used 3
# 2.1 source cleanup
# 3.1 used 4
# 4.1 used 5
# 5.1 the end
