"""asyncpg: cancelling a task that waits on a query asks the server to cancel the query (a cancel
request on a second connection), and the same connection answers the next query; no statement
is left running on the server. wait_for on a slow query does the same on timeout, then raises
TimeoutError (test_connection.cpp: "a cancelled query stops on the server ...", "wait_for on a
slow query times out ...", "a cancelled query leaves the server with no statement running")."""
import asyncio
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from asyncpg_claim import run  # noqa: E402

STILL_RUNNING = "SELECT count(*) FROM pg_stat_activity WHERE query = 'SELECT pg_sleep(10)' AND state = 'active'"


async def main(db):
    began = time.perf_counter()
    query = asyncio.create_task(db.execute("SELECT pg_sleep(10)"))
    await asyncio.sleep(0.2)
    query.cancel()
    try:
        await query
    except asyncio.CancelledError:
        print("the task ended with CancelledError")
    print(f"the same connection answers: {await db.fetchval('SELECT 1')}")
    print(f"statements still sleeping on the server: {await db.fetchval(STILL_RUNNING)}")
    print(f"all within a second, not ten: {time.perf_counter() - began < 1}")

    began = time.perf_counter()
    try:
        await asyncio.wait_for(db.execute("SELECT pg_sleep(10)"), 0.2)
    except asyncio.TimeoutError:
        print("wait_for raised TimeoutError")
    print(f"the same connection answers: {await db.fetchval('SELECT 2')}")
    print(f"statements still sleeping on the server: {await db.fetchval(STILL_RUNNING)}")
    print(f"all within a second, not ten: {time.perf_counter() - began < 1}")


run(main)

# expect 3.11:
# the task ended with CancelledError
# the same connection answers: 1
# statements still sleeping on the server: 0
# all within a second, not ten: True
# wait_for raised TimeoutError
# the same connection answers: 2
# statements still sleeping on the server: 0
# all within a second, not ten: True
