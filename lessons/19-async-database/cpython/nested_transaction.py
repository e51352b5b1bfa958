"""asyncpg nests `db.transaction()` blocks: the inner one is a SAVEPOINT, which rolls back alone
while the outer transaction goes on. aio::pg refuses a transaction inside a transaction instead
(test_transaction.cpp: "a transaction inside a transaction is refused")."""
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from asyncpg_claim import run  # noqa: E402


async def main(db):
    await db.execute("CREATE TEMP TABLE claim_nested (id int)")
    async with db.transaction():
        await db.execute("INSERT INTO claim_nested VALUES (1)")
        try:
            async with db.transaction():
                await db.execute("INSERT INTO claim_nested VALUES (2)")
                raise ValueError("the inner block failed")
        except ValueError as error:
            print(f"caught: {error}")
        print(f"inside the outer transaction: {await db.fetchval('SELECT count(*) FROM claim_nested')} row")
    print(f"committed: {await db.fetchval('SELECT count(*) FROM claim_nested')} row")


run(main)

# expect 3.11:
# caught: the inner block failed
# inside the outer transaction: 1 row
# committed: 1 row
