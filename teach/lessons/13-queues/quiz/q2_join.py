import asyncio


def now():
    return f"{asyncio.get_running_loop().time() - START:.1f}"


async def worker(queue):
    while True:
        seconds = await queue.get()
        await asyncio.sleep(seconds)
        print(now(), "handled", seconds)
        queue.task_done()


async def main():
    global START
    START = asyncio.get_running_loop().time()
    queue = asyncio.Queue()
    for seconds in (0.4, 0.1, 0.2):
        queue.put_nowait(seconds)
    workers = [asyncio.create_task(worker(queue)) for _ in range(2)]
    await queue.join()
    print(now(), "join() returned; empty:", queue.empty())
    for task in workers:
        task.cancel()


asyncio.run(main())
