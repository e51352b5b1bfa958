"""Lesson 13's narrated program in asyncio: a producer and a consumer through a small queue,
ending on a sentinel; then three workers sharing twenty messages, the end signal passed on from
one worker to the next. demo.cpp prints the same lines."""
import asyncio

STOP = None  # the sentinel: "no more items"


def elapsed():
    return f"{asyncio.get_running_loop().time() - start:.1f}"


# book:producer-consumer
async def producer(queue, count):
    for number in range(1, count + 1):
        await asyncio.sleep(0.2)  # making the item takes a while
        item = f"item {number}"
        await queue.put(item)  # waits while the queue is full
        print(f"{elapsed()} producer: put {item} (qsize {queue.qsize()})")
    await queue.put(STOP)
    print(f"{elapsed()} producer: put the sentinel")


async def consumer(queue):
    while True:
        item = await queue.get()  # waits while the queue is empty
        if item is STOP:
            print(f"{elapsed()} consumer: got the sentinel, stopping")
            return
        print(f"{elapsed()} consumer: got {item}")
        await asyncio.sleep(0.5)  # using it takes longer than making it
# end book:producer-consumer


# book:workers
async def worker(name, seconds, queue, handled):
    while True:
        message = await queue.get()
        if message is STOP:
            await queue.put(STOP)  # pass the end signal on to the next worker
            print(f"{elapsed()} {name}: end signal, passed it on")
            return
        await asyncio.sleep(seconds)
        handled.append(message)
        print(f"{elapsed()} {name}: handled message {message}")


async def share_messages():
    queue = asyncio.Queue()
    for message in range(1, 21):
        queue.put_nowait(message)
    queue.put_nowait(STOP)
    handled = {name: [] for name in ("w1", "w2", "w3")}
    seconds = {"w1": 0.7, "w2": 0.8, "w3": 0.9}
    await asyncio.gather(*(worker(name, seconds[name], queue, handled[name]) for name in handled))
    for name, messages in handled.items():
        print(f"{elapsed()} {name} handled {len(messages)}: {' '.join(map(str, messages))}")
# end book:workers


async def main():
    global start
    start = asyncio.get_running_loop().time()
    print("== a producer and a consumer, through a queue of 2, ending on a sentinel")
    queue = asyncio.Queue(2)
    await asyncio.gather(producer(queue, 6), consumer(queue))
    print("== three workers share twenty messages")
    start = asyncio.get_running_loop().time()
    await share_messages()


asyncio.run(main())
