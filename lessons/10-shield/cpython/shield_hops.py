"""Awaiting a task through asyncio.shield: the caller resumes two loop iterations after the task
finished (the inner done callback completes the outer future, whose callback wakes the caller);
a task that is done already gives its result without suspending (shield returns it as it is).
(test_shield.cpp: "shield gives the task's result, two loop iterations after it finished" and
"shield of a task that is done already returns without suspending")"""
import asyncio


async def ticker(count):
    for i in range(count):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def steps(count):
    for _ in range(count):
        await asyncio.sleep(0)
    print(f"child {count} ends")
    return count


async def main():
    tick = asyncio.create_task(ticker(8))
    task = asyncio.create_task(steps(3))
    print("shield")
    value = await asyncio.shield(task)
    print(f"returned {value}")
    await tick

    print("-- a task that is done already")
    task = asyncio.create_task(steps(0))
    await asyncio.sleep(0)
    tick = asyncio.create_task(ticker(2))
    print("shield")
    value = await asyncio.shield(task)
    print(f"returned {value}")
    await tick


asyncio.run(main())

# expect 3.11:
# shield
# tick 0
# tick 1
# tick 2
# tick 3
# child 3 ends
# tick 4
# tick 5
# returned 3
# tick 6
# tick 7
# -- a task that is done already
# child 0 ends
# shield
# returned 0
# tick 0
# tick 1
