"""benchmarks/05-tasks.cpp's four loops on CPython's asyncio, for scale:

    python3 lessons/05-tasks/measure.py [N]

Each loop runs N trivial coroutines (they return their argument at once) inside one asyncio.run,
five times; the median CPU time per coroutine is printed, in nanoseconds. CPU time (not wall time)
so that a busy machine disturbs the figures less; the C++ benchmark's items_per_second is CPU time
too.
"""
import asyncio
import statistics
import sys
import time


async def identity(value):
    return value


async def await_coro(count):
    total = 0
    for i in range(count):
        total += await identity(i)
    return total


async def create_task_await_each(count):
    total = 0
    for i in range(count):
        total += await asyncio.create_task(identity(i))
    return total


async def create_tasks_then_await(count):
    tasks = [asyncio.create_task(identity(i)) for i in range(count)]
    total = 0
    for task in tasks:
        total += await task
    return total


async def done_callbacks(count):
    calls = 0

    def count_call(_task):
        nonlocal calls
        calls += 1

    task = asyncio.create_task(identity(1))
    for _ in range(count):
        task.add_done_callback(count_call)
    await task
    return calls


def main():
    count = int(sys.argv[1]) if len(sys.argv) > 1 else 100_000
    print(f"CPython {sys.version.split()[0]}, N = {count}, median CPU time per coroutine:")
    for workload in (await_coro, create_task_await_each, create_tasks_then_await, done_callbacks):
        runs = []
        for _ in range(5):
            started = time.process_time()
            asyncio.run(workload(count))
            runs.append(time.process_time() - started)
        print(f"  {workload.__name__:<24} {statistics.median(runs) / count * 1e9:8.0f} ns")


if __name__ == "__main__":
    main()
