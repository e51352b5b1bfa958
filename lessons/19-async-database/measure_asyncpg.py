"""Times lesson 19's benchmark workloads on asyncpg, for benchmarks/19-async-database.cpp, which runs
this program once per repetition of each asyncpg row, interleaved with its own rows, and reports
the seconds it prints next to its own. Prints one line per workload: "NAME SECONDS" (the median
of `--repeat` runs, one run by default; only the workload is timed, not Python's start, the
connection or the table's creation). Needs the server of tools/pg-up (PGHOST, ...).

    python3 lessons/19-async-database/measure_asyncpg.py [WORKLOAD ...] [--repeat N]
"""
import asyncio
import statistics
import sys
import time

try:
    import asyncpg
except ImportError:
    print("skipped: asyncpg is not installed (Debian: apt-get install python3-asyncpg)", file=sys.stderr)
    sys.exit(77)

ROWS = 10_000
RECORDS = [(i, f"name {i}") for i in range(ROWS)]


async def sleeps_sequential(db, pool):
    for _ in range(10):
        await db.execute("SELECT pg_sleep(0.1)")


async def sleeps_concurrent(db, pool):
    await asyncio.gather(*(pool.execute("SELECT pg_sleep(0.1)") for _ in range(10)))


async def inserts_one_at_a_time(db, pool):
    for i in range(ROWS):
        await db.execute("INSERT INTO bench_asyncpg VALUES ($1, $2)", i, f"name {i}")


async def inserts_pipelined(db, pool):
    await db.executemany("INSERT INTO bench_asyncpg VALUES ($1, $2)", RECORDS)


async def inserts_copy(db, pool):
    await db.copy_records_to_table("bench_asyncpg", records=RECORDS, columns=["id", "name"])


WORKLOADS = {work.__name__: work for work in (sleeps_sequential, sleeps_concurrent, inserts_one_at_a_time,
                                              inserts_pipelined, inserts_copy)}


async def main():
    args = sys.argv[1:]
    repeat = 1
    if "--repeat" in args:
        at = args.index("--repeat")
        repeat = int(args[at + 1])
        del args[at:at + 2]
    unknown = [name for name in args if name not in WORKLOADS]
    if unknown:
        sys.exit(f"unknown workload {unknown[0]}; these exist: {', '.join(WORKLOADS)}")
    names = args or list(WORKLOADS)
    db = await asyncpg.connect()
    # Ten connections cost ten server processes: opened only for the workload that uses them.
    pool = await asyncpg.create_pool(min_size=10, max_size=10) if "sleeps_concurrent" in names else None
    for name in names:
        runs = []
        for _ in range(repeat):
            await db.execute("DROP TABLE IF EXISTS bench_asyncpg")
            await db.execute("CREATE TABLE bench_asyncpg (id int, name text)")
            began = time.perf_counter()
            await WORKLOADS[name](db, pool)
            runs.append(time.perf_counter() - began)
        print(f"{name} {statistics.median(runs):.6f}", flush=True)
    await db.execute("DROP TABLE IF EXISTS bench_asyncpg")
    if pool:
        await pool.close()
    await db.close()


# The server works in real time: keep asyncio's real clock whatever the policy.
asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
asyncio.run(main())
