"""Lesson 15's generator program in asyncio: the connection and the transaction of mirror.py,
each written as one async generator that yields once, with @asynccontextmanager.
demo_generator.cpp prints the same lines."""
import asyncio
import contextlib


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


class Connection:
    def __init__(self, name):
        self.name = name

    async def connect(self):
        print(f"{elapsed()} connecting to {self.name}...")
        await asyncio.sleep(0.5)
        print(f"{elapsed()} connected to {self.name}")

    async def disconnect(self):
        print(f"{elapsed()} disconnecting from {self.name}...")
        await asyncio.sleep(0.2)
        print(f"{elapsed()} disconnected from {self.name}")

    async def execute(self, query):
        print(f"{elapsed()} {self.name}: {query}")
        await asyncio.sleep(0.3)


# book:generators
@contextlib.asynccontextmanager
async def connected(name):
    db = Connection(name)
    await db.connect()
    try:
        yield db
    finally:
        await db.disconnect()


@contextlib.asynccontextmanager
async def transaction(db):
    await db.execute("BEGIN")
    try:
        yield db
    except BaseException:
        await db.execute("ROLLBACK")
        raise
    await db.execute("COMMIT")
# end book:generators


async def transfer(db, amount):
    await db.execute(f"UPDATE accounts SET balance = balance - {amount} WHERE id = 1")
    if amount > 100:
        raise ValueError(f"insufficient funds for {amount}")
    await db.execute(f"UPDATE accounts SET balance = balance + {amount} WHERE id = 2")


async def main():
    print("== a connection and a transaction, each made of a generator")
    for amount in (50, 500):
        try:
            async with connected("bank") as db:
                async with transaction(db) as tx:
                    await transfer(tx, amount)
            print(f"{elapsed()} main: transferred {amount}")
        except ValueError as error:
            print(f"{elapsed()} main: caught ValueError: {error}")


asyncio.run(main())
