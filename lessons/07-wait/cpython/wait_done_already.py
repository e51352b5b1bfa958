"""A wait on tasks that are already done still suspends, and for two loop iterations:
add_done_callback on a done task schedules the callback at once, the callback completes the
waiter, and the waiter wakes the awaiting task one iteration later.
(test_wait.cpp: "waiting for tasks that are already done still takes two turns")"""
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
    tasks = [asyncio.create_task(child(0))]
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    tick = asyncio.create_task(ticker(5))
    await asyncio.sleep(0)
    print("wait")
    done, pending = await asyncio.wait(tasks)
    print(f"returned {len(done)}")
    await tick


asyncio.run(main())

# expect 3.11:
# child 0 ends
# tick 0
# wait
# tick 1
# tick 2
# returned 1
# tick 3
# tick 4
