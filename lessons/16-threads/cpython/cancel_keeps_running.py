"""Cancelling a task that awaits asyncio.to_thread ends the await at once, but the function goes
on in its thread until it returns: a thread cannot be interrupted. A threading.Event that the
function polls is how it learns to stop early (aio: a std::stop_token).
(test_to_thread.cpp: "a cancelled await stops at once while the function keeps running",
"a function that takes a stop_token ends early when its await is cancelled")"""
import asyncio
import threading
import time


def job(started, finished, stop=None):
    started.set()
    for _ in range(30):  # 0.3 s, unless told to stop
        if stop is not None and stop.is_set():
            print("job: told to stop, ends early")
            return
        time.sleep(0.01)
    finished.set()
    print("job: ran to its end")


async def main():
    started, finished = threading.Event(), threading.Event()
    task = asyncio.create_task(asyncio.to_thread(job, started, finished))
    while not started.is_set():
        await asyncio.sleep(0)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print(f"await cancelled; the job has finished: {finished.is_set()}")
    await asyncio.to_thread(finished.wait)
    print(f"later, the job has finished: {finished.is_set()}")

    started, finished, stop = threading.Event(), threading.Event(), threading.Event()
    task = asyncio.create_task(asyncio.to_thread(job, started, finished, stop))
    while not started.is_set():
        await asyncio.sleep(0)
    task.cancel()
    stop.set()  # what a cancellation should also do, by hand
    try:
        await task
    except asyncio.CancelledError:
        print("await cancelled, stop set")
    await asyncio.sleep(0.5)


asyncio.run(main())

# expect 3.11:
# await cancelled; the job has finished: False
# job: ran to its end
# later, the job has finished: True
# await cancelled, stop set
# job: told to stop, ends early
