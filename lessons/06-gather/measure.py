"""Lesson 06's benchmark, the CPython side: the same workloads as benchmarks/06-gather.cpp, on
asyncio, for scale. Run it with: python3 lessons/06-gather/measure.py [N ...]

  fetches   N coroutines that each sleep 10 ms, gathered: wall-clock ms (the median of 3 runs)
  trivial   N coroutines that return at once, gathered: microseconds per child (median of 3)
"""
import asyncio
import statistics
import sys
import time


async def fetch(i):
    await asyncio.sleep(0.010)
    return i


async def quick(i):
    return i


async def gather_fetches(n):
    started = time.perf_counter()
    await asyncio.gather(*(fetch(i) for i in range(n)))
    return time.perf_counter() - started


async def gather_trivial(n):
    started = time.perf_counter()
    await asyncio.gather(*(quick(i) for i in range(n)))
    return time.perf_counter() - started


def median_of_three(workload, n):
    return statistics.median(asyncio.run(workload(n)) for _ in range(3))


def main():
    sizes = [int(a) for a in sys.argv[1:]] or [1, 10, 100, 1_000, 10_000]
    print(f"CPython {sys.version.split()[0]}")
    for n in sizes:
        print(f"fetches  N = {n:>6,}: {median_of_three(gather_fetches, n) * 1e3:8.1f} ms")
    for n in (1_000, 10_000, 100_000):
        print(f"trivial  N = {n:>6,}: {median_of_three(gather_trivial, n) / n * 1e6:8.2f} us per child")


if __name__ == "__main__":
    main()
