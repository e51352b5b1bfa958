"""The last task finishes, and in the same iteration, before wait's done-callback has run, the
task that awaits wait is cancelled. The callback then finds the waiter future already cancelled
and leaves it alone (`if not waiter.done()`): the waiting task is woken once, and it sees the
CancelledError. aio's on_completion must do the same when `finished_` is set.
(test_wait.cpp: "a cancel that beats the last on_completion wakes the task once")"""
import asyncio


async def after(delay, value):
    await asyncio.sleep(delay)
    print(f"task {value} ends")
    return value


async def waiter(tasks):
    try:
        done, pending = await asyncio.wait(tasks)
        return f"returned {len(done)} {len(pending)}"
    except asyncio.CancelledError:
        return "cancelled"


async def main():
    tasks = [asyncio.create_task(after(1, 1))]
    waiting = asyncio.create_task(waiter(tasks), name="waiter")
    await asyncio.sleep(1)
    await asyncio.sleep(0)  # the task ended in the previous iteration; wait's callback is queued
    print("cancel the waiter")
    waiting.cancel()
    print(await waiting)
    print(f"task result: {tasks[0].result()}")


asyncio.run(main())

# expect 3.11:
# task 1 ends
# cancel the waiter
# cancelled
# task result: 1
