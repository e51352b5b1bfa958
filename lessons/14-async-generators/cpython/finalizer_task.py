"""Leaving `async for` with break does not close the generator there and then: once it is no
longer referenced, the loop's asyncgen finalizer hook schedules aclose() in a new task (through
call_soon_threadsafe, then create_task), so its cleanup starts two loop iterations later, in
that task. Python 3.13 numbers tasks only when it names them itself, hence Task-2 there.
(test_async_generator.cpp: "a generator dropped at a co_yield is closed by a new task")"""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def ticker(ticks):
    for i in range(ticks):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def with_cleanup():
    try:
        for i in range(5):
            yield i
    finally:
        print(f"{elapsed()} cleanup starts in {asyncio.current_task().get_name()}")
        await asyncio.sleep(1)
        print(f"{elapsed()} cleanup ends")


async def main():
    ticks = asyncio.create_task(ticker(6), name="ticker")
    await asyncio.sleep(0)
    async for item in with_cleanup():
        print(f"{elapsed()} got {item} in {asyncio.current_task().get_name()}")
        if item == 1:
            break
    print(f"{elapsed()} after the loop")
    await ticks
    await asyncio.sleep(2)


asyncio.run(main())

# expect 3.11:
# tick 0
# 0.0 got 0 in Task-1
# 0.0 got 1 in Task-1
# 0.0 after the loop
# tick 1
# tick 2
# 0.0 cleanup starts in Task-3
# tick 3
# tick 4
# tick 5
# 1.0 cleanup ends
# expect 3.13:
# tick 0
# 0.0 got 0 in Task-1
# 0.0 got 1 in Task-1
# 0.0 after the loop
# tick 1
# tick 2
# 0.0 cleanup starts in Task-2
# tick 3
# tick 4
# tick 5
# 1.0 cleanup ends
