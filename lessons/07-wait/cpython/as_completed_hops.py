"""as_completed: the awaitable for the next result resumes two loop iterations after the task
finished (the done-callback puts the task on a queue, and the queue wakes the getter one
iteration later); when a result is already queued, awaiting it does not suspend at all.
(test_as_completed.cpp: "as_completed resumes two turns after a task finished, or at once")"""
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
    tick = asyncio.create_task(ticker(8))
    children = [asyncio.create_task(child(3)), asyncio.create_task(child(1)),
                asyncio.create_task(child(2))]
    for next_result in asyncio.as_completed(children):
        print(f"got {await next_result}")
    await tick


asyncio.run(main())

# expect 3.11:
# tick 0
# tick 1
# child 1 ends
# tick 2
# child 2 ends
# tick 3
# child 3 ends
# got 1
# tick 4
# got 2
# got 3
# tick 5
# tick 6
# tick 7
