"""Lesson 16's first program in asyncio: blocking calls on the loop, then in threads. demo.cpp
prints the same lines. Lines that start with "~ " are measurements on the real clock, compared
with their numbers masked. In debug mode asyncio also logs, on stderr, each step that kept the
loop busy for 0.1 s or more: Executing <Task pending name='blocker' ...> took 0.400 seconds
Run it with: python3 lessons/16-threads/mirror.py
"""
import asyncio
import time


def now():
    return f"{asyncio.get_running_loop().time():.1f}"


# book:blocking-call
def blocking_square(n):
    time.sleep(0.1)
    return n * n
# end book:blocking-call


# book:ticker
async def ticker(gaps):
    last = time.perf_counter()
    for i in range(1, 4):
        if i > 1:
            gaps.append(time.perf_counter() - last)
        last = time.perf_counter()
        print(f"{now()} tick {i}")
        await asyncio.sleep(0.1)


async def blocks_the_loop():
    time.sleep(0.4)  # the mistake: the whole loop sleeps
    print(f"{now()} blocker: done")


async def leaves_the_loop_free():
    await asyncio.to_thread(time.sleep, 0.4)  # a worker sleeps
    print(f"{now()} polite: done")
# end book:ticker


async def next_to_a_ticker(work, name):
    gaps = []
    tick = asyncio.create_task(ticker(gaps))
    worker = asyncio.create_task(work, name=name)
    await tick
    await worker
    print(f"~ the ticker's longest gap: {max(gaps):.2f} s of real time")


# book:main
async def main():
    print("== four blocking calls, one after the other, on the loop")
    began = time.perf_counter()
    for n in range(1, 5):
        print(f"{now()} blocking_square({n}) = {blocking_square(n)}")
    print(f"~ sequential: 4 calls in {time.perf_counter() - began:.2f} s", flush=True)
    await asyncio.sleep(0)  # the step ends here: debug mode reports it

    print("== the same four calls in threads: to_thread and gather")
    began = time.perf_counter()
    a, b, c, d = await asyncio.gather(*(asyncio.to_thread(blocking_square, n) for n in range(1, 5)))
    print(f"{now()} results: {a} {b} {c} {d}")
    print(f"~ to_thread + gather: 4 calls in {time.perf_counter() - began:.2f} s")

    print("== a ticker next to a task that blocks the loop for 0.4 s")
    await next_to_a_ticker(blocks_the_loop(), "blocker")
    print("== a ticker next to a task that sleeps 0.4 s in a thread")
    await next_to_a_ticker(leaves_the_loop_free(), "polite")
# end book:main


asyncio.run(main(), debug=True)
