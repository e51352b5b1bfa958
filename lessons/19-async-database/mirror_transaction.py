"""Lesson 19's second program on asyncpg: a transaction that commits, one that rolls back on an
error, a slow query cancelled after which the same connection answers, and a query under
wait_for. demo_transaction.cpp prints the same lines ("~ " lines are real-clock measurements,
compared with their numbers masked).
Run it with: eval "$(tools/pg-up)"; python3 lessons/19-async-database/mirror_transaction.py
"""
import asyncio
import sys
import time

try:
    import asyncpg
except ImportError:
    print("skipped: asyncpg is not installed (Debian: apt-get install python3-asyncpg)")
    sys.exit(77)


# book:transfer
async def transfer(db, source, target, amount):
    await db.execute("UPDATE accounts SET balance = balance - $1 WHERE name = $2", amount, source)
    tag = await db.execute("UPDATE accounts SET balance = balance + $1 WHERE name = $2", amount, target)
    if tag != "UPDATE 1":
        raise ValueError(f"no such account: '{target}'")
# end book:transfer


async def print_balances(db):
    rows = await db.fetch("SELECT name, balance FROM accounts ORDER BY name")
    print("balances:" + "".join(f" {name}={balance}" for name, balance in rows))


async def main():
    db = await asyncpg.connect()
    await db.execute("DROP TABLE IF EXISTS accounts")
    await db.execute("CREATE TABLE accounts (name text PRIMARY KEY, balance bigint NOT NULL)")
    await db.execute("INSERT INTO accounts VALUES ('alice', 100), ('bob', 50)")
    await print_balances(db)

    print("== a transaction that commits: alice gives bob 30")
    async with db.transaction():
        await transfer(db, "alice", "bob", 30)
    await print_balances(db)

    print("== a transaction that rolls back: alice gives carol 20")
    try:
        async with db.transaction():
            await transfer(db, "alice", "carol", 20)
    except ValueError as error:
        print(f"the body raised: {error}")
    await print_balances(db)

    print("== a query of 10 s, cancelled after 0.2 s")
    began = time.perf_counter()
    slow = asyncio.create_task(db.execute("SELECT pg_sleep($1)", 10.0))
    await asyncio.sleep(0.2)
    slow.cancel()
    try:
        await slow
    except asyncio.CancelledError:
        print("the task ended with CancelledError")
    print(f"~ it took {time.perf_counter() - began:.2f} s, and the connection sent 1 cancel request")
    answer = await db.fetchval("SELECT 'still here'")
    print(f"the same connection answers: {answer}")

    print("== wait_for(a query of 10 s, 0.2 s)")
    began = time.perf_counter()
    try:
        await asyncio.wait_for(db.execute("SELECT pg_sleep($1)", 10.0), 0.2)
    except asyncio.TimeoutError:
        print("TimeoutError")
    print(f"~ it took {time.perf_counter() - began:.2f} s")
    one = await db.fetchval("SELECT 1")
    print(f"the same connection answers: {one}")
    await db.execute("DROP TABLE accounts")
    await db.close()


# The server works in real time, and asyncpg's connect() guards itself with a 60 s timer that a
# virtual clock would fire at once: this program keeps asyncio's real clock even under the
# course's virtual-clock runner (tools/virtual_asyncio.py).
asyncio.set_event_loop_policy(asyncio.DefaultEventLoopPolicy())
asyncio.run(main())
