"""Lesson 07's second program in Python: demo_as_completed.cpp mirrors it line for line.

asyncio.as_completed hands out the results in the order the tasks finish; with a timeout, each
result that has not come in time raises TimeoutError. Run it with:
python3 lessons/07-wait/mirror_as_completed.py
"""
import asyncio

started = 0.0


def now():
    """Seconds since main() started, on the loop's clock."""
    return f"{asyncio.get_running_loop().time() - started:.1f}"


async def work(seconds):
    await asyncio.sleep(seconds)
    return seconds


async def in_completion_order():
    print("1. as_completed: jobs of 3, 1 and 2 seconds")
    # book:as-completed
    tasks = [asyncio.create_task(work(seconds)) for seconds in (3, 1, 2)]
    for next_result in asyncio.as_completed(tasks):
        result = await next_result
        print(f"  {now()} s: got {result}")
    # end book:as-completed
    print("  in the order they finished, not the order they were started")


async def with_timeout():
    print("2. as_completed with a 2.5 s timeout: jobs of 4, 1, 5 and 2 seconds")
    # book:as-completed-timeout
    tasks = [asyncio.create_task(work(seconds)) for seconds in (4, 1, 5, 2)]
    for next_result in asyncio.as_completed(tasks, timeout=2.5):
        try:
            result = await next_result
            print(f"  {now()} s: got {result}")
        except TimeoutError:
            print(f"  {now()} s: TimeoutError")
    # end book:as-completed-timeout
    running = [task for task in tasks if not task.done()]
    print(f"  {len(running)} jobs are still running: the timeout cancelled nothing")
    for task in running:
        task.cancel()


async def main():
    global started
    started = asyncio.get_running_loop().time()
    await in_completion_order()
    await with_timeout()


asyncio.run(main())
