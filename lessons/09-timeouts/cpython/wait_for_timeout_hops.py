"""wait_for when the time runs out: the loop iterations it takes to notice the deadline, and to
return after the cancelled coroutine's cleanup. A ticker that starts at 1.0 s counts them.
3.11: one iteration to notice, two after the cleanup (waiter futures around a task). 3.12 runs
the coroutine in the caller's task inside a timeout scope: the cleanup starts in the timer's own
iteration, and TimeoutError comes in the same step as its end.
(test_wait_for.cpp: "on timeout, the loop iterations match asyncio's")"""
import asyncio


async def ticker(count):
    for i in range(count):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def tick_at_1():
    await asyncio.sleep(1)
    await ticker(10)


async def sleepy():
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError:
        print("sleepy cancelled")
        await asyncio.sleep(0)
        await asyncio.sleep(0)
        print("sleepy cleaned up")
        raise


async def main():
    tick = asyncio.create_task(tick_at_1())
    print("wait_for")
    try:
        await asyncio.wait_for(sleepy(), 1)
    except TimeoutError:
        print("TimeoutError")
    await tick


asyncio.run(main())

# expect 3.11:
# wait_for
# tick 0
# sleepy cancelled
# tick 1
# tick 2
# sleepy cleaned up
# tick 3
# tick 4
# TimeoutError
# tick 5
# tick 6
# tick 7
# tick 8
# tick 9
# expect 3.12:
# wait_for
# sleepy cancelled
# tick 0
# tick 1
# sleepy cleaned up
# TimeoutError
# tick 2
# tick 3
# tick 4
# tick 5
# tick 6
# tick 7
# tick 8
# tick 9
