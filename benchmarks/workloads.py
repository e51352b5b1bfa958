"""The shared workloads on CPython's asyncio; benchmarks/workloads.cpp runs the same ones on aio.

    python3 benchmarks/workloads.py [--repetitions N] [--json]

Each workload runs N times (after one warm-up run) and reports the median, as seconds per run and,
where the workload processes items, nanoseconds per item. benchmarks/compare.py puts these figures
beside aio's, measured in the same run.
"""
import argparse
import asyncio
import json
import random
import resource
import statistics
import sys
import time

W1_TASKS = 200_000
W2_SWITCHES = 1_000_000
W3_ITEMS = 1_000_000
W3_MAXSIZE = 128
W4_TIMERS = 100_000
W5_TASKS = 100_000
W5_PERMITS = 100
W6_FETCHES = (0.100, 0.200, 0.100)


async def identity(value):
    return value


async def w1_spawn_gather():
    tasks = [asyncio.create_task(identity(i)) for i in range(W1_TASKS)]
    results = await asyncio.gather(*tasks)
    assert results[-1] == W1_TASKS - 1


async def w2_switch():
    for _ in range(W2_SWITCHES):
        await asyncio.sleep(0)


async def produce(queue, count):
    for i in range(count):
        await queue.put(i)


async def consume(queue, count):
    total = 0
    for _ in range(count):
        total += await queue.get()
    return total


async def w3_queue():
    queue = asyncio.Queue(maxsize=W3_MAXSIZE)
    producer = asyncio.create_task(produce(queue, W3_ITEMS))
    total = await consume(queue, W3_ITEMS)
    await producer
    assert total == W3_ITEMS * (W3_ITEMS - 1) // 2


async def w4_timers():
    rng = random.Random(42)
    delays = [rng.uniform(0.0, 0.010) for _ in range(W4_TIMERS)]
    await asyncio.gather(*(asyncio.sleep(d) for d in delays))


async def hold_permit(semaphore):
    async with semaphore:
        await asyncio.sleep(0)


async def w5_semaphore():
    semaphore = asyncio.Semaphore(W5_PERMITS)
    await asyncio.gather(*[asyncio.create_task(hold_permit(semaphore)) for _ in range(W5_TASKS)])


async def fetch(seconds):
    await asyncio.sleep(seconds)
    return seconds


async def w6_sequential():
    for seconds in W6_FETCHES:
        await fetch(seconds)


async def w6_gather():
    await asyncio.gather(*(fetch(s) for s in W6_FETCHES))


WORKLOADS = {
    "W1_spawn_gather": (w1_spawn_gather, W1_TASKS),
    "W2_switch": (w2_switch, W2_SWITCHES),
    "W3_queue": (w3_queue, W3_ITEMS),
    "W4_timers": (w4_timers, W4_TIMERS),
    "W5_semaphore": (w5_semaphore, W5_TASKS),
    "W6_sequential": (w6_sequential, len(W6_FETCHES)),
    "W6_gather": (w6_gather, len(W6_FETCHES)),
}


def page_faults():
    """Minor page faults of this process so far (first touches of pages the kernel maps)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_minflt


def measure(workload, repetitions):
    """The median seconds per run, and the page faults per run."""
    asyncio.run(workload())  # warm-up
    times = []
    faults = page_faults()
    for _ in range(repetitions):
        start = time.perf_counter()
        asyncio.run(workload())
        times.append(time.perf_counter() - start)
    return statistics.median(times), (page_faults() - faults) / repetitions


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repetitions", type=int, default=5)
    parser.add_argument("--json", action="store_true", help="print JSON for compare.py")
    parser.add_argument("--only", help="run only the workloads whose name starts with this")
    args = parser.parse_args()
    results = {}
    for name, (workload, items) in WORKLOADS.items():
        if args.only and not name.startswith(args.only):
            continue
        seconds, faults = measure(workload, args.repetitions)
        results[name] = {"seconds": seconds, "items": items, "faults_per_run": faults}
        if not args.json:
            print(f"{name:16} {seconds * 1e3:10.1f} ms   {seconds / items * 1e9:10.1f} ns/item"
                  f"   {faults:10.0f} faults/run", flush=True)
    if args.json:
        json.dump({"python": sys.version.split()[0], "results": results}, sys.stdout)
        print()


if __name__ == "__main__":
    main()
