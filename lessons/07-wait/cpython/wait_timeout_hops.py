"""A wait's timeout works like a sleep: the timer callback completes the waiter when it is due, and
the waiting task runs one iteration later. The task still pending is returned, not cancelled.
(test_wait.cpp: "a timeout resumes the task one turn after its timer is due, like a sleep")"""
import asyncio


async def ticker(count):
    for i in range(count):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def late_ticker():
    await asyncio.sleep(2)
    await ticker(6)


async def sleeper(delay, name):
    await asyncio.sleep(delay)
    print(f"{name} ends")
    return 0


async def main():
    tick = asyncio.create_task(late_ticker())
    await asyncio.sleep(0)
    tasks = [asyncio.create_task(sleeper(1, "a")), asyncio.create_task(sleeper(3, "b"))]
    done, pending = await asyncio.wait(tasks, timeout=2)
    now = asyncio.get_running_loop().time()
    print(f"returned at {now:.1f} {len(done)} {len(pending)}")
    await asyncio.sleep(5)


asyncio.run(main())

# expect 3.11:
# a ends
# tick 0
# returned at 2.0 1 1
# tick 1
# tick 2
# tick 3
# tick 4
# tick 5
# b ends
