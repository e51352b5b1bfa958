"""A scope whose deadline has passed already when it is entered (timeout(0)) schedules its
timeout with call_soon: it fires in the next loop iteration, not at once.
(test_timeout.cpp: "a deadline that has passed already fires in the next loop iteration";
reschedule to a past deadline does the same)"""
import asyncio


async def ticker(count):
    for i in range(count):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def main():
    tick = asyncio.create_task(ticker(4))
    print("enter")
    try:
        async with asyncio.timeout(0):
            print("inside")
            await asyncio.sleep(0)
            print("after sleep(0)")
    except TimeoutError:
        print("TimeoutError")
    print("reschedule to the past")
    try:
        async with asyncio.timeout(10) as scope:
            print("inside")
            scope.reschedule(asyncio.get_running_loop().time() - 1)
            await asyncio.sleep(0)
            print("after sleep(0)")
    except TimeoutError:
        print("TimeoutError")
    await tick


asyncio.run(main())

# expect 3.11:
# enter
# inside
# tick 0
# TimeoutError
# reschedule to the past
# inside
# tick 1
# TimeoutError
# tick 2
# tick 3
