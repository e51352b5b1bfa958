"""Lesson 04, demo 3 in Python: the classic mistake, a blocking call inside a coroutine.

demo_blocking.cpp prints the same lines. Lines that start with "~ " are real-time measurements,
compared with their numbers masked. In debug mode asyncio also logs, on stderr:
    Executing <Task ...> took 0.150 seconds
Run it with: python3 lessons/04-event-loop/mirror_blocking.py
"""
import asyncio
import time


# book:blocking
async def main():
    loop = asyncio.get_running_loop()
    loop.slow_callback_duration = 0.1  # the default: warn about steps longer than 100 ms
    print(f"debug mode: {'on' if loop.get_debug() else 'off'}")

    print("1. a blocking sleep of 0.15 s in a coroutine: the thread sleeps, and the loop with it")
    began = time.perf_counter()
    time.sleep(0.15)  # the mistake: blocks the thread
    print(f"~ this step kept the loop busy for {time.perf_counter() - began:.2f} s")
    await asyncio.sleep(0)  # the step ends here; the loop measures it and warns

    print("2. an awaited sleep of 0.15 s: the task waits, the loop is free")
    began = time.perf_counter()
    await asyncio.sleep(0.15)
    print(f"~ 0.15 s later by the loop's clock; {time.perf_counter() - began:.2f} s of real time")
# end book:blocking


asyncio.run(main(), debug=True)
