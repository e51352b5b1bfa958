"""as_completed over tasks that are already done still takes two loop iterations for the first
result: each done-callback is scheduled, not called, and puts its task on the queue one iteration
later; the queue then wakes the consumer one iteration after that. (With one task: asyncio walks a
set of tasks, whose order is not one a program can rely on.)
(test_as_completed.cpp: "as_completed over tasks already done: the first result takes two turns")"""
import asyncio


async def ticker(count):
    for i in range(count):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def child(value):
    print(f"child {value} ends")
    return value


async def main():
    tasks = [asyncio.create_task(child(0))]
    await asyncio.sleep(0)
    tick = asyncio.create_task(ticker(4))
    await asyncio.sleep(0)
    print("as_completed")
    for next_result in asyncio.as_completed(tasks):
        print(f"got {await next_result}")
    await tick


asyncio.run(main())

# expect 3.11:
# child 0 ends
# tick 0
# as_completed
# tick 1
# tick 2
# got 0
# tick 3
