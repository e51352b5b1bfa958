"""Lesson 05's narrated program in Python: demo.cpp mirrors it line for line.

Two greetings, one after 1 s and one after 2 s: awaited one after the other they take 3 s;
wrapped in tasks first, they run side by side and take 2 s. Run it with:
python3 lessons/05-tasks/mirror.py (or through tools/virtual_asyncio.py to skip the waiting).
"""
import asyncio


# book:say-after
async def say_after(delay, what):
    await asyncio.sleep(delay)
    print(what)
# end book:say-after


# book:sequential
async def one_after_the_other():
    loop = asyncio.get_running_loop()
    start = loop.time()
    print(f"started at {loop.time() - start:.1f} s")
    await say_after(1, "hello")
    await say_after(2, "world")
    print(f"finished at {loop.time() - start:.1f} s")
# end book:sequential


# book:concurrent
async def side_by_side():
    loop = asyncio.get_running_loop()
    start = loop.time()
    task1 = asyncio.create_task(say_after(1, "hello"))
    task2 = asyncio.create_task(say_after(2, "world"))
    print(f"started at {loop.time() - start:.1f} s")
    await task1
    await task2
    print(f"finished at {loop.time() - start:.1f} s")
# end book:concurrent


async def main():
    print("1. await the coroutines one after the other")
    await one_after_the_other()
    print("2. wrap them in tasks first, then await the tasks")
    await side_by_side()


asyncio.run(main())
