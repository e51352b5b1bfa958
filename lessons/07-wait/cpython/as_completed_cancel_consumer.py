"""Cancelling the task that waits for as_completed's next result ends that wait, not the tasks.
(test_as_completed.cpp: "cancelling the consumer of as_completed cancels no task")"""
import asyncio


def now():
    return f"{asyncio.get_running_loop().time():.1f}"


async def after(delay, value):
    await asyncio.sleep(delay)
    return value


async def consumer(tasks):
    seen = ""
    try:
        for next_result in asyncio.as_completed(tasks):
            seen += f"{await next_result} "
        return seen + "all"
    except asyncio.CancelledError:
        return seen + f"cancelled at {now()}"


async def main():
    tasks = [asyncio.create_task(after(3, 3)), asyncio.create_task(after(1, 1)),
             asyncio.create_task(after(2, 2))]
    consuming = asyncio.create_task(consumer(tasks))
    await asyncio.sleep(1.5)
    consuming.cancel()
    print(await consuming)
    print(f"tasks done: {[task.done() for task in tasks]}")
    await asyncio.sleep(2)
    print(f"{now()} results: {[task.result() for task in tasks]}")


asyncio.run(main())

# expect 3.11:
# 1 cancelled at 1.5
# tasks done: [False, True, False]
# 3.5 results: [3, 1, 2]
