"""A failed statement inside a transaction: PostgreSQL refuses every statement after it (25P02)
until the transaction ends, and answers COMMIT with ROLLBACK. asyncpg does not raise at that
COMMIT: a body that swallowed the error leaves `async with` as if all went well, and nothing was
saved. aio::pg raises 25P02 there instead (test_transaction.cpp: "a failed statement whose
error the body swallowed makes COMMIT raise")."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from asyncpg_claim import asyncpg, run  # noqa: E402


async def main(db):
    await db.execute("CREATE TEMP TABLE claim_swallow (id int PRIMARY KEY)")
    async with db.transaction():
        await db.execute("INSERT INTO claim_swallow VALUES (1)")
        try:
            await db.execute("INSERT INTO claim_swallow VALUES (1)")
        except asyncpg.UniqueViolationError as error:
            print(f"swallowed {type(error).__name__} ({error.sqlstate})")
        try:
            await db.execute("INSERT INTO claim_swallow VALUES (2)")
        except asyncpg.InFailedSQLTransactionError as error:
            print(f"the next statement raised {type(error).__name__} ({error.sqlstate})")
    print("the transaction block ended without an error")
    print(f"rows saved: {await db.fetchval('SELECT count(*) FROM claim_swallow')}")


run(main)

# expect 3.11:
# swallowed UniqueViolationError (23505)
# the next statement raised InFailedSQLTransactionError (25P02)
# the transaction block ended without an error
# rows saved: 0
