"""asyncpg's `async with db.transaction()`: the body's statements are committed when it ends, and
rolled back when it raises (the exception goes on) or when its task is cancelled; nothing of a
rolled-back body is left in the table (test_transaction.cpp: "a transaction whose body returns
is committed", "... throws is rolled back ...", "a task cancelled inside a transaction ...")."""
import asyncio
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from asyncpg_claim import run  # noqa: E402


async def insert_then(db, row, then):
    async with db.transaction():
        await db.execute("INSERT INTO claim_tx VALUES ($1)", row)
        await then()


async def nothing():
    pass


async def fail():
    raise ValueError("the body failed")


async def main(db):
    await db.execute("CREATE TEMP TABLE claim_tx (id int)")
    await insert_then(db, 1, nothing)
    print(f"after a body that returned: {await db.fetchval('SELECT count(*) FROM claim_tx')} row")
    try:
        await insert_then(db, 2, fail)
    except ValueError as error:
        print(f"the body raised, and so does the transaction: {error}")
    print(f"after a body that raised: {await db.fetchval('SELECT count(*) FROM claim_tx')} row")
    task = asyncio.create_task(insert_then(db, 3, lambda: asyncio.sleep(10)))
    await asyncio.sleep(0.1)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("the task inside the transaction was cancelled")
    print(f"after a cancelled body: {await db.fetchval('SELECT count(*) FROM claim_tx')} row")
    print(f"and the connection is outside any transaction: {not db.is_in_transaction()}")


run(main)

# expect 3.11:
# after a body that returned: 1 row
# the body raised, and so does the transaction: the body failed
# after a body that raised: 1 row
# the task inside the transaction was cancelled
# after a cancelled body: 1 row
# and the connection is outside any transaction: True
