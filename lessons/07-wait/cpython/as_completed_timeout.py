"""as_completed with a timeout: when the time is up, every result that has not come raises
TimeoutError, at once and one after the other; the tasks themselves go on, and as_completed
stops listening to them. Results that came before the timeout are handed out first, even when
the consumer only asks for them after the deadline.
(test_as_completed.cpp: "each result that did not come in time raises TimeoutError" and
"results that came in time are handed out before TimeoutError")"""
import asyncio


def now():
    return f"{asyncio.get_running_loop().time():.1f}"


async def after(delay, value):
    await asyncio.sleep(delay)
    return value


async def main():
    tasks = [asyncio.create_task(after(1, 1)), asyncio.create_task(after(5, 5)),
             asyncio.create_task(after(6, 6))]
    for next_result in asyncio.as_completed(tasks, timeout=2):
        try:
            print(f"got {await next_result} at {now()}")
        except TimeoutError:
            print(f"timeout at {now()}")
    print(f"task of 5 s done: {tasks[1].done()}; awaiting it gives {await tasks[1]} at {now()}")

    print("-- a consumer that comes late")
    tasks = [asyncio.create_task(after(1, 1)), asyncio.create_task(after(2, 2)),
             asyncio.create_task(after(6, 6))]
    results = iter(asyncio.as_completed(tasks, timeout=3))
    first = next(results)  # 3.11 and 3.12 start listening here (see as_completed_start.py)
    await asyncio.sleep(5)
    for next_result in [first, *results]:
        try:
            print(f"got {await next_result} at {now()}")
        except TimeoutError:
            print(f"timeout at {now()}")


asyncio.run(main())

# expect 3.11:
# got 1 at 1.0
# timeout at 2.0
# timeout at 2.0
# task of 5 s done: False; awaiting it gives 5 at 5.0
# -- a consumer that comes late
# got 1 at 10.0
# got 2 at 10.0
# timeout at 10.0
