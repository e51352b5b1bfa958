"""Queue.shutdown(immediate=True) (Python 3.13) drops the items left and counts each as done, so
join() returns once the items already taken are done too; gets raise QueueShutDown at once.
(test_queue.cpp: "shutdown(immediate) drops the items and counts them done")"""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def worker(queue):
    item = await queue.get()
    print(f"{elapsed()} worker: got {item}")
    await asyncio.sleep(1)
    queue.task_done()
    print(f"{elapsed()} worker: done with {item}")
    try:
        await queue.get()
    except Exception as error:
        print(f"{elapsed()} worker: {type(error).__name__}")


async def joiner(queue):
    await queue.join()
    print(f"{elapsed()} joiner: join returned")


async def main():
    if not hasattr(asyncio.Queue, "shutdown"):
        print("asyncio.Queue has no shutdown() before Python 3.13")
        return
    queue = asyncio.Queue()
    for item in ("a", "b", "c"):
        queue.put_nowait(item)
    work = asyncio.create_task(worker(queue))
    join = asyncio.create_task(joiner(queue))
    await asyncio.sleep(0.5)
    queue.shutdown(immediate=True)
    print(f"{elapsed()} shut down: qsize {queue.qsize()}")
    await asyncio.gather(work, join)


asyncio.run(main())

# expect 3.11:
# asyncio.Queue has no shutdown() before Python 3.13
# expect 3.13:
# 0.0 worker: got a
# 0.5 shut down: qsize 0
# 1.0 worker: done with a
# 1.0 worker: QueueShutDown
# 1.0 joiner: join returned
