"""FIRST_COMPLETED, and two tasks finish in the same iteration: both done-callbacks run in the
next one; the first completes the waiter, the second finds it done and does nothing more. Both
tasks are in `done`, and the waiting task is woken once.
(test_wait.cpp: "two tasks done in the same turn: both are done, the task wakes once")"""
import asyncio


async def after(delay, value):
    await asyncio.sleep(delay)
    return value


async def main():
    tasks = [asyncio.create_task(after(1, 1)), asyncio.create_task(after(1, 2)),
             asyncio.create_task(after(2, 3))]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    loop = asyncio.get_running_loop()
    print(f"{loop.time():.1f} done: {sorted(task.result() for task in done)}, pending: {len(pending)}")


asyncio.run(main())

# expect 3.11:
# 1.0 done: [1, 2], pending: 1
