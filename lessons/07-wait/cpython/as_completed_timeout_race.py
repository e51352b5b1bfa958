"""A task finishes in the very turn in which as_completed's timeout is due: its done-callback is
queued, and the timeout callback runs before it. The timeout wins: the callback that comes next
finds nothing left to watch (`if not todo: return`) and queues nothing, so the consumer gets
TimeoutError, although the task did finish. aio's on_completion must do the same once the time is
up. (test_as_completed.cpp: "a task that ends as the time runs out still times out")"""
import asyncio


async def ticker(count):
    for i in range(count):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def child(steps):
    for _ in range(steps):
        await asyncio.sleep(0)
    print(f"child {steps} ends")
    return steps


async def main():
    tick = asyncio.create_task(ticker(4))
    tasks = [asyncio.create_task(child(0))]
    for next_result in asyncio.as_completed(tasks, timeout=0):
        try:
            print(f"got {await next_result}")
        except TimeoutError:
            print("TimeoutError")
    print(f"the task is done: {tasks[0].done()}")
    await tick


asyncio.run(main())

# expect 3.11:
# tick 0
# child 0 ends
# tick 1
# TimeoutError
# the task is done: True
# tick 2
# tick 3
