"""CPython's side of benchmarks/16-threads.cpp: the cost of one asyncio.to_thread round trip and
of one call_soon_threadsafe round trip, measured the same way (a loop of awaits on the real
clock), as medians of several runs. Not a test: run it by hand.

    python3 lessons/16-threads/measure_cpython.py
"""
import asyncio
import statistics
import sys
import threading
import time

ROUNDS = 5_000
REPEATS = 7


def trivial(n):
    return n + 1


async def to_thread_round_trips():
    n = 0
    began = time.perf_counter()
    for _ in range(ROUNDS):
        n = await asyncio.to_thread(trivial, n)
    return (time.perf_counter() - began) / ROUNDS


async def call_soon_threadsafe_round_trips():
    loop = asyncio.get_running_loop()
    asked = threading.Condition()
    pending = []

    def answerer():
        while True:
            with asked:
                asked.wait_for(lambda: pending)
                future = pending.pop()
            if future is None:
                return
            loop.call_soon_threadsafe(future.set_result, 1)

    thread = threading.Thread(target=answerer)
    thread.start()
    began = time.perf_counter()
    for _ in range(ROUNDS):
        future = loop.create_future()
        with asked:
            pending.append(future)
            asked.notify()
        await future
    seconds = (time.perf_counter() - began) / ROUNDS
    with asked:
        pending.append(None)
        asked.notify()
    thread.join()
    return seconds


def median_microseconds(coroutine_function):
    return statistics.median(asyncio.run(coroutine_function()) for _ in range(REPEATS)) * 1e6


print(f"Python {sys.version.split()[0]}, {ROUNDS} round trips, median of {REPEATS} runs")
print(f"to_thread round trip:            {median_microseconds(to_thread_round_trips):6.1f} us")
print(f"call_soon_threadsafe round trip: {median_microseconds(call_soon_threadsafe_round_trips):6.1f} us")
