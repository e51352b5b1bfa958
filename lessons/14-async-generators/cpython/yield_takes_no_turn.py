"""A value that an async generator yields without awaiting anything reaches the consumer without
a loop iteration: `async for` over such a generator never lets another task run.
(test_async_generator.cpp: "a value yielded without waiting takes no loop iteration")"""
import asyncio


async def ticker(ticks):
    for i in range(ticks):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def numbers(count):
    print("numbers starts")
    for i in range(count):
        yield i
    print("numbers ends")


async def main():
    ticks = asyncio.create_task(ticker(3))
    await asyncio.sleep(0)
    async for item in numbers(3):
        print(f"got {item}")
    await ticks


asyncio.run(main())

# expect 3.11:
# tick 0
# numbers starts
# got 0
# got 1
# got 2
# numbers ends
# tick 1
# tick 2
