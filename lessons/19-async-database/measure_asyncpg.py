"""Times lesson 19's benchmark workloads on asyncpg, for benchmarks/19-async-database.cpp, which runs
this program and reports its numbers next to its own. Prints one line per workload:
"NAME SECONDS" (the best of `repeat` runs). Needs the server of tools/pg-up (PGHOST, ...).

    python3 lessons/19-async-database/measure_asyncpg.py [repeat]
"""
import asyncio
import sys
import time

try:
    import asyncpg
except ImportError:
    print("skipped: asyncpg is not installed (Debian: apt-get install python3-asyncpg)")
    sys.exit(77)

ROWS = 10_000


async def timed(work):
    began = time.perf_counter()
    await work
    return time.perf_counter() - began


async def sequential_sleeps(db):
    for _ in range(10):
        await db.execute("SELECT pg_sleep(0.1)")


async def concurrent_sleeps(pool):
    await asyncio.gather(*(pool.execute("SELECT pg_sleep(0.1)") for _ in range(10)))


async def one_at_a_time(db):
    for i in range(ROWS):
        await db.execute("INSERT INTO bench_asyncpg VALUES ($1, $2)", i, f"name {i}")


async def main():
    repeat = int(sys.argv[1]) if len(sys.argv) > 1 else 3
    db = await asyncpg.connect()
    pool = await asyncpg.create_pool(min_size=10, max_size=10)
    await db.execute("DROP TABLE IF EXISTS bench_asyncpg")
    await db.execute("CREATE TABLE bench_asyncpg (id int, name text)")
    records = [(i, f"name {i}") for i in range(ROWS)]
    best = {}

    def keep(name, seconds):
        best[name] = min(best.get(name, seconds), seconds)

    for _ in range(repeat):
        keep("sequential_sleeps", await timed(sequential_sleeps(db)))
        keep("concurrent_sleeps", await timed(concurrent_sleeps(pool)))
        await db.execute("TRUNCATE bench_asyncpg")
        keep("inserts_one_at_a_time", await timed(one_at_a_time(db)))
        await db.execute("TRUNCATE bench_asyncpg")
        keep("inserts_executemany", await timed(db.executemany("INSERT INTO bench_asyncpg VALUES ($1, $2)", records)))
        await db.execute("TRUNCATE bench_asyncpg")
        keep("inserts_copy", await timed(db.copy_records_to_table("bench_asyncpg", records=records, columns=["id", "name"])))
    await db.execute("DROP TABLE bench_asyncpg")
    await pool.close()
    await db.close()
    for name, seconds in best.items():
        print(f"{name} {seconds:.4f}")


# The server works in real time: keep asyncio's real clock whatever the policy.
asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
asyncio.run(main())
