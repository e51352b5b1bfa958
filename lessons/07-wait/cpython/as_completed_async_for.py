"""3.13 lets `async for` walk as_completed and gives the tasks themselves, in completion order;
3.11 and 3.12 have no __aiter__ there (TypeError). The plain `for` loop over awaitables works in
every version. (the lesson card's "What to try next")"""
import asyncio


async def after(delay, value):
    await asyncio.sleep(delay)
    return value


async def main():
    tasks = [asyncio.create_task(after(2, 2), name="two"), asyncio.create_task(after(1, 1), name="one")]
    try:
        async for task in asyncio.as_completed(tasks):
            print(f"async for: {task.get_name()} is one of ours: {task in tasks}")
    except TypeError as error:
        print(f"async for: TypeError: {error}")
    for next_result in asyncio.as_completed(tasks):
        print(f"for: {await next_result}")


asyncio.run(main())

# expect 3.11:
# async for: TypeError: 'async for' requires an object with __aiter__ method, got generator
# for: 1
# for: 2
# expect 3.13:
# async for: one is one of ours: True
# async for: two is one of ours: True
# for: 2
# for: 1
