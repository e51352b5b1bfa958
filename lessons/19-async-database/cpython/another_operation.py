"""asyncpg: one connection runs one operation at a time. A second query sent while the first is
still running raises InterfaceError at once, and the first one, and the connection, go on as
if nothing happened (test_connection.cpp: "a second query while one runs ...")."""
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from asyncpg_claim import asyncpg, run  # noqa: E402


async def main(db):
    first = asyncio.create_task(db.fetchval("SELECT 'first' FROM pg_sleep(0.2)"))
    await asyncio.sleep(0.05)  # the first query is on the server now
    try:
        await db.fetchval("SELECT 'second'")
    except asyncpg.InterfaceError as error:
        print(f"the second query raised {type(error).__name__}: {error}")
    print(f"the first query returned {await first!r}")
    print(f"the connection answers next: {await db.fetchval('SELECT 1')}")


run(main)

# expect 3.11:
# the second query raised InterfaceError: cannot perform operation: another operation is in progress
# the first query returned 'first'
# the connection answers next: 1
