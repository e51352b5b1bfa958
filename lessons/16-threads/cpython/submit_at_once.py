"""loop.run_in_executor submits the call at once and returns a future; asyncio.to_thread is a
coroutine: nothing runs until it is awaited (or wrapped in a task). The exception a function
raises in its thread comes out of the await.
(test_to_thread.cpp: "run_in_executor submits at once to the executor it is given", "an
exception thrown in the worker reaches the awaiting coroutine")"""
import asyncio
import threading


def job(started, name):
    started.set()
    return name


def fails(x):
    raise ValueError(f"bad value {x}")


async def main():
    loop = asyncio.get_running_loop()
    started = threading.Event()
    future = loop.run_in_executor(None, job, started, "run_in_executor")
    print(f"run_in_executor started before any await: {started.wait(2)}")
    print(await future)

    started = threading.Event()
    coro = asyncio.to_thread(job, started, "to_thread")
    print(f"to_thread started before any await: {started.wait(0.2)}")
    print(await coro)

    try:
        await asyncio.to_thread(fails, 3)
    except ValueError as error:
        print(f"caught: {error}")


asyncio.run(main())

# expect 3.11:
# run_in_executor started before any await: True
# run_in_executor
# to_thread started before any await: False
# to_thread
# caught: bad value 3
