"""put() waits while the queue is full: a fast producer is held back to the pace of a slow
consumer, and each put resumes one iteration after the get that freed its slot.
(test_queue.cpp: "put waits while the queue is full: backpressure")"""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def producer(queue):
    for i in range(5):
        await queue.put(i)
        print(f"{elapsed()} put {i}, qsize {queue.qsize()}")


async def consumer(queue):
    for _ in range(5):
        item = await queue.get()
        print(f"{elapsed()} got {item}, qsize {queue.qsize()}")
        await asyncio.sleep(1)


async def main():
    queue = asyncio.Queue(2)
    await asyncio.gather(producer(queue), consumer(queue))


asyncio.run(main())

# expect 3.11:
# 0.0 put 0, qsize 1
# 0.0 put 1, qsize 2
# 0.0 got 0, qsize 1
# 0.0 put 2, qsize 2
# 1.0 got 1, qsize 1
# 1.0 put 3, qsize 2
# 2.0 got 2, qsize 1
# 2.0 put 4, qsize 2
# 3.0 got 3, qsize 1
# 4.0 got 4, qsize 0
