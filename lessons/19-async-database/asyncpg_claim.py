"""What every claim in cpython/ needs before it can show asyncpg at work: asyncpg itself, and the
server of tools/pg-up (PGHOST, PGPORT, ...). Without either, a claim says why and exits with 77,
the code CTest reports as "skipped"; with AIO_PG_REQUIRED set (as CI sets it), a missing server
is an error instead.

    from asyncpg_claim import asyncpg, run
    run(main)   # main(db) receives a connection, closed afterwards
"""
import asyncio
import os
import sys

try:
    import asyncpg
except ImportError:
    print(f"skipped: asyncpg is not installed for {sys.executable} (Debian: apt-get install "
          "python3-asyncpg, for /usr/bin/python3)", file=sys.stderr)
    sys.exit(77)


def no_server(error):
    where = f"PGHOST={os.environ.get('PGHOST', '')} PGPORT={os.environ.get('PGPORT', '')}"
    if os.environ.get("AIO_PG_REQUIRED"):
        print(f"no PostgreSQL server answers at {where} ({error}), and AIO_PG_REQUIRED is set",
              file=sys.stderr)
        sys.exit(1)
    print(f"skipped: no PostgreSQL server answers at {where}; start one with: "
          'eval "$(tools/pg-up)"', file=sys.stderr)
    sys.exit(77)


async def _connect_and_run(main):
    try:
        db = await asyncpg.connect(timeout=5)
    except (OSError, asyncpg.PostgresError, asyncio.TimeoutError) as error:
        no_server(error)
    try:
        await main(db)
    finally:
        await db.close()


def run(main):
    # The server keeps real time, and asyncpg guards its connect with a timer that a virtual
    # clock would fire at once: keep asyncio's real clock under tools/virtual_asyncio.py too.
    asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
    asyncio.run(_connect_and_run(main))
