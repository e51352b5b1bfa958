"""asyncpg's pool: a connection given back is lent again (same server process), but one whose
server process has gone is not. The pool sees the server close it and takes it back at once (the
lease then answers InterfaceError), and the next lease gets a new connection (test_pool.cpp:
"a connection given back is lent again, not reopened", "a broken connection is discarded, and
the next lease gets a new one")."""
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from asyncpg_claim import asyncpg, run  # noqa: E402

PID = "SELECT pg_backend_pid()"


async def main(db):
    pool = await asyncpg.create_pool(min_size=1, max_size=1)
    async with pool.acquire() as conn:
        first = await conn.fetchval(PID)
    async with pool.acquire() as conn:
        print(f"given back and lent again: same server process: {await conn.fetchval(PID) == first}")
        await db.execute("SELECT pg_terminate_backend($1)", first)  # the server ends it
        await asyncio.sleep(0.2)  # and the connection reads its goodbye
        try:
            await conn.fetchval("SELECT 1")
        except asyncpg.InterfaceError as error:
            print(f"the lent connection's query raised {type(error).__name__}: {error}")
    async with pool.acquire() as conn:
        print(f"the next lease answers: {await conn.fetchval('SELECT 1')}, "
              f"on a new server process: {await conn.fetchval(PID) != first}")
    await pool.close()


run(main)

# expect 3.11:
# given back and lent again: same server process: True
# the lent connection's query raised InterfaceError: cannot call Connection.fetchval(): connection has been released back to the pool
# the next lease answers: 1, on a new server process: True
