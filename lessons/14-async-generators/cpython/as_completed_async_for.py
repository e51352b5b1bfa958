"""Python 3.13 made asyncio.as_completed() an async iterator too: `async for` gives the tasks
themselves, in the order they finish. Up to 3.12 it is a plain iterator of awaitables, and
`async for` over it raises TypeError.
(aio/as_completed_stream.hpp; test_pipeline.cpp: "as_completed_stream yields results as tasks finish")"""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def job(name, seconds):
    await asyncio.sleep(seconds)
    return name


async def main():
    tasks = [asyncio.create_task(job(name, seconds)) for name, seconds in [("a", 3), ("b", 1), ("c", 2)]]
    try:
        async for done in asyncio.as_completed(tasks):
            result = await done
            print(f"{elapsed()} {result} (one of the tasks given: {done in tasks})")
    except TypeError as error:
        print(f"TypeError: {error}")
        for next_done in asyncio.as_completed(tasks):
            result = await next_done
            print(f"{elapsed()} {result}")


asyncio.run(main())

# expect 3.11:
# TypeError: 'async for' requires an object with __aiter__ method, got generator
# 1.0 b
# 2.0 c
# 3.0 a
# expect 3.13:
# 1.0 b (one of the tasks given: True)
# 2.0 c (one of the tasks given: True)
# 3.0 a (one of the tasks given: True)
