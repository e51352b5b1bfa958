"""Lesson 19's first program on asyncpg: ten queries of 0.1 s each, one after another on one
connection, then all at once through a pool of ten. demo.cpp prints the same lines. Lines that
start with "~ " are measurements on the real clock, compared with their numbers masked.
Run it with: eval "$(tools/pg-up)"; python3 lessons/19-async-database/mirror.py
"""
import asyncio
import sys
import time

try:
    import asyncpg
except ImportError:
    print("skipped: asyncpg is not installed (Debian: apt-get install python3-asyncpg)")
    sys.exit(77)


# book:timeline
def micros_since(began):
    return int((time.perf_counter() - began) * 1_000_000)


def print_timeline(spans):
    """One row per query, one column per 0.1 s, times rounded down to their column."""
    column = 100_000  # microseconds
    print("timeline, one column per 0.1 s ('#' a query is under way):")
    for i, (start, end) in enumerate(spans):
        print(f"  query {i + 1:2}  {' ' * (start // column)}{'#' * max(1, (end - start) // column)}")
    print("            |         |\n            0.0       1.0 s")
# end book:timeline


# book:one-query
async def slow_query(pool):
    return await pool.fetchval("SELECT pg_backend_pid() FROM pg_sleep(0.1)")
# end book:one-query


async def timed_query(pool, began, spans, i):
    start = micros_since(began)
    server = await slow_query(pool)
    spans[i] = (start, micros_since(began))
    return server


async def main():
    print("== ten queries of 0.1 s on one connection, one after the other")
    db = await asyncpg.connect()
    began = time.perf_counter()
    spans = [(0, 0)] * 10
    for i in range(10):
        start = micros_since(began)
        await db.execute("SELECT pg_sleep(0.1)")
        spans[i] = (start, micros_since(began))
    print(f"~ sequential: 10 queries in {time.perf_counter() - began:.2f} s")
    print_timeline(spans)

    print("== the same ten at once, through a pool of up to ten connections")
    pool = await asyncpg.create_pool(min_size=10, max_size=10)
    began = time.perf_counter()
    servers = await asyncio.gather(*(timed_query(pool, began, spans, i) for i in range(10)))
    print(f"~ concurrent: 10 queries in {time.perf_counter() - began:.2f} s")
    print_timeline(spans)
    print(f"they ran in {len(set(servers))} server processes at once")
    print(f"the pool holds {pool.get_size()} connections, {pool.get_idle_size()} of them idle")

    print("== thirty at once through a pool of three")
    small = await asyncpg.create_pool(min_size=0, max_size=3)
    began = time.perf_counter()
    servers = await asyncio.gather(*(slow_query(small) for _ in range(30)))
    print(f"~ 30 queries, 3 at a time: {time.perf_counter() - began:.2f} s")
    print(f"they ran in {len(set(servers))} server processes")
    await small.close()
    await pool.close()
    await db.close()


# The server works in real time, and asyncpg's connect() guards itself with a 60 s timer that a
# virtual clock would fire at once: this program keeps asyncio's real clock even under the
# course's virtual-clock runner (tools/virtual_asyncio.py).
asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
asyncio.run(main())
