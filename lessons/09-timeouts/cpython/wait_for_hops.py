"""wait_for on a coroutine that takes three loop iterations: when does the caller resume?
3.11 wraps the coroutine in a task and waits on a waiter future: two iterations after the task ends.
3.12 awaits the coroutine itself inside a timeout scope: at once, in the same step.
(test_wait_for.cpp: "wait_for resumes two loop iterations after the task finished")"""
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
    print("wait_for")
    value = await asyncio.wait_for(steps(3), 10)
    print(f"returned {value}")
    await tick


asyncio.run(main())

# expect 3.11:
# wait_for
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
# expect 3.12:
# wait_for
# tick 0
# tick 1
# tick 2
# child 3 ends
# returned 3
# tick 3
# tick 4
# tick 5
# tick 6
# tick 7
