"""Cancelling the task that awaits asyncio.wait ends the wait, not the tasks it waited for: the
CancelledError (with its message) reaches the waiting task at once, and the tasks go on.
(test_wait.cpp: "cancelling the task that awaits wait cancels the wait, not the tasks")"""
import asyncio


def now():
    return f"{asyncio.get_running_loop().time():.1f}"


async def after(delay, value):
    await asyncio.sleep(delay)
    return value


async def waiter(tasks):
    try:
        await asyncio.wait(tasks)
        return "returned"
    except asyncio.CancelledError as error:
        return f"cancelled at {now()}: {error.args[0]}"


async def main():
    tasks = [asyncio.create_task(after(1, 1)), asyncio.create_task(after(3, 3))]
    waiting = asyncio.create_task(waiter(tasks))
    await asyncio.sleep(0.5)
    waiting.cancel("stop waiting")
    print(await waiting)
    print(f"tasks done: {[task.done() for task in tasks]}")
    await asyncio.sleep(3)
    print(f"{now()} results: {[task.result() for task in tasks]}")


asyncio.run(main())

# expect 3.11:
# cancelled at 0.5: stop waiting
# tasks done: [False, False]
# 3.5 results: [1, 3]
