"""When does as_completed start listening, and its timeout start counting? In 3.11 and 3.12 it is a
generator: nothing happens until the loop asks for the first awaitable. From 3.13 on it is an
object that registers its callbacks and arms its timer when it is created. aio::as_completed
starts when it is created, like 3.13. (the chapter, "as_completed")"""
import asyncio


def now():
    return f"{asyncio.get_running_loop().time():.1f}"


async def after(delay, value):
    await asyncio.sleep(delay)
    return value


async def main():
    tasks = [asyncio.create_task(after(1, 1)), asyncio.create_task(after(4, 4))]
    results = asyncio.as_completed(tasks, timeout=3)
    print(f"{now()} as_completed called")
    await asyncio.sleep(2)
    print(f"{now()} first awaitable asked for")
    for next_result in results:
        try:
            print(f"got {await next_result} at {now()}")
        except TimeoutError:
            print(f"timeout at {now()}")


asyncio.run(main())

# expect 3.11:
# 0.0 as_completed called
# 2.0 first awaitable asked for
# got 1 at 2.0
# got 4 at 4.0
# expect 3.13:
# 0.0 as_completed called
# 2.0 first awaitable asked for
# got 1 at 2.0
# timeout at 3.0
