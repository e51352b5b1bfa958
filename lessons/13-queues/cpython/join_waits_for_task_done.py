"""join() waits until every item put has been marked done: it returns at once when none is
unfinished, and otherwise every waiting join() resumes, in the order they came, one iteration
after the task_done() that brought the count to zero. One task_done() too many is a ValueError.
(test_queue.cpp: "join waits until every item put is task_done")"""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def joiner(queue, name):
    await queue.join()
    print(f"{elapsed()} {name}: join returned")


async def worker(queue):
    while True:
        item = await queue.get()
        await asyncio.sleep(1)
        print(f"{elapsed()} worker: done with {item}")
        queue.task_done()


async def main():
    queue = asyncio.Queue()
    await queue.join()
    print(f"{elapsed()} main: join on a fresh queue returned at once")
    for item in ("a", "b"):
        queue.put_nowait(item)
    joiners = [asyncio.create_task(joiner(queue, name)) for name in ("j1", "j2")]
    work = asyncio.create_task(worker(queue))
    await asyncio.gather(*joiners)
    work.cancel()
    try:
        queue.task_done()
    except ValueError as error:
        print(f"{elapsed()} main: ValueError: {error}")


asyncio.run(main())

# expect 3.11:
# 0.0 main: join on a fresh queue returned at once
# 1.0 worker: done with a
# 2.0 worker: done with b
# 2.0 j1: join returned
# 2.0 j2: join returned
# 2.0 main: ValueError: task_done() called too many times
