"""Lesson 16's fourth program in asyncio: CPU-bound work in threads. demo_cpu.cpp prints the same
lines; the "~ " lines are measurements on the real clock, compared with their numbers masked, so
each program prints its own times. In CPython the GIL lets one thread run Python code at a time:
two CPU-bound calls in two threads take about as long as one after the other (a speed-up near
1x). In C++ the two threads run on two cores at once (near 2x on a machine with two cores).
"""
import asyncio
import time


# book:cpu-work
def count_primes(below):
    """Pure computation, no waiting: trial division."""
    count = 0
    for n in range(2, below):
        d = 2
        while d * d <= n:
            if n % d == 0:
                break
            d += 1
        else:
            count += 1
    return count
# end book:cpu-work


LIMIT = 150_000


async def main():
    print(f"== count the primes below {LIMIT:,}, twice")
    began = time.perf_counter()
    first, second = count_primes(LIMIT), count_primes(LIMIT)
    sequential = time.perf_counter() - began
    print(f"one after the other: {first} and {second}")
    print(f"~ one after the other: {sequential:.2f} s")

    began = time.perf_counter()
    first, second = await asyncio.gather(asyncio.to_thread(count_primes, LIMIT),
                                         asyncio.to_thread(count_primes, LIMIT))
    threaded = time.perf_counter() - began
    print(f"in two threads: {first} and {second}")
    print(f"~ in two threads: {threaded:.2f} s, a speed-up of {sequential / threaded:.1f}x")


asyncio.run(main())
