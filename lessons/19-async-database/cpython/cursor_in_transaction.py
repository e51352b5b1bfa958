"""asyncpg streams rows through a server-side cursor, which PostgreSQL keeps only inside a
transaction: `db.cursor(query)` outside one raises NoActiveSQLTransactionError. Inside one, it
fetches the rows in batches of `prefetch` (50 unless told), one round trip per batch. aio::pg's
cursor uses libpq's single-row mode instead: no transaction, no extra round trips."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from asyncpg_claim import asyncpg, run  # noqa: E402

QUERY = "SELECT i FROM generate_series(1, 120) AS i"
# nextval() runs as the server produces each row: the sequence counts the rows fetched so far.
COUNTED = "SELECT i, nextval('claim_rows') FROM generate_series(1, 120) AS i"


async def main(db):
    try:
        async for _ in db.cursor(QUERY):
            pass
    except asyncpg.NoActiveSQLTransactionError as error:
        print(f"outside a transaction: {type(error).__name__}: {error}")
    async with db.transaction():
        count, total = 0, 0
        async for row in db.cursor(QUERY):
            count, total = count + 1, total + row["i"]
        print(f"inside one: {count} rows, sum {total}")
        await db.execute("CREATE TEMP SEQUENCE claim_rows")
        async for row in db.cursor(COUNTED):
            if row["i"] in (1, 50, 51, 101):
                fetched = await db.fetchval("SELECT last_value FROM claim_rows")
                print(f"at row {row['i']}, the server has produced {fetched} rows")


run(main)

# expect 3.11:
# outside a transaction: NoActiveSQLTransactionError: cursor cannot be created outside of a transaction
# inside one: 120 rows, sum 7260
# at row 1, the server has produced 50 rows
# at row 50, the server has produced 50 rows
# at row 51, the server has produced 100 rows
# at row 101, the server has produced 120 rows
