"""Lesson 19's third program on asyncpg: 100,000 rows streamed one at a time, against the same
rows fetched at once. demo_stream.cpp prints the same lines ("~ " lines are real-clock
measurements, compared with their numbers masked). asyncpg streams through a server-side cursor,
which lives inside a transaction, and brings the rows in batches (prefetch, 50 by default).
Run it with: eval "$(tools/pg-up)"; python3 lessons/19-async-database/mirror_stream.py
"""
import asyncio
import resource
import sys
import time

try:
    import asyncpg
except ImportError:
    print("skipped: asyncpg is not installed (Debian: apt-get install python3-asyncpg)")
    sys.exit(77)

QUERY = "SELECT g AS id, repeat('x', 100) AS payload FROM generate_series(1, 100000) AS g"


def peak_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


async def main():
    db = await asyncpg.connect()

    print("== 100000 rows of about 100 bytes, streamed one at a time")
    before = peak_mib()
    began = time.perf_counter()
    count = 0
    total = 0
    # book:stream
    async with db.transaction():
        async for row in db.cursor(QUERY):
            count += 1
            total += row["id"]
    # end book:stream
    print(f"rows: {count}, sum of ids: {total}")
    print(f"~ {time.perf_counter() - began:.2f} s; peak memory grew by {peak_mib() - before:.1f} MiB")

    print("== the same rows fetched at once")
    before = peak_mib()
    began = time.perf_counter()
    rows = await db.fetch(QUERY)
    total = sum(row["id"] for row in rows)
    print(f"rows: {len(rows)}, sum of ids: {total}")
    print(f"~ {time.perf_counter() - began:.2f} s; peak memory grew by {peak_mib() - before:.1f} MiB")
    await db.close()


# The server works in real time, and asyncpg's connect() guards itself with a 60 s timer that a
# virtual clock would fire at once: this program keeps asyncio's real clock even under the
# course's virtual-clock runner (tools/virtual_asyncio.py).
asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
asyncio.run(main())
