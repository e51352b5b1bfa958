"""Lesson 15's narrated program in asyncio: a database-like connection (simulated with sleeps)
that connects, executes and disconnects; a transaction that commits on success and rolls back on
error; two connections entered together on an AsyncExitStack and left in reverse order, also when
the second one refuses. demo.cpp prints the same lines.

aio shields every teardown: a cancellation that arrives while __aexit__ runs waits for it to
finish. asyncio does not, so the managers here shield theirs with finish_shielded(), the helper
that aio::finish_shielded mirrors (cpython/finish_shielded.py)."""
import asyncio
import contextlib


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def finish_shielded(coro):
    task = asyncio.create_task(coro)
    cancellation = None
    while not task.done():
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError as error:
            if not task.cancelled():
                cancellation = error
        except BaseException:
            pass  # the teardown's own error: task.result() raises it again below
    if cancellation is not None:
        if not task.cancelled():
            task.exception()  # the teardown's own error loses to the cancellation: retrieve it
        raise cancellation
    return task.result()


# book:connection
class Connection:
    """A connection to a database that is not there: connecting takes 0.5 s, a query 0.3 s,
    disconnecting 0.2 s."""

    def __init__(self, name, refuse=False):
        self.name, self.refuse = name, refuse

    async def __aenter__(self):
        print(f"{elapsed()} connecting to {self.name}...")
        await asyncio.sleep(0.5)
        if self.refuse:
            raise ConnectionRefusedError(f"{self.name} refused the connection")
        print(f"{elapsed()} connected to {self.name}")
        return self

    async def __aexit__(self, kind, error, traceback):
        await finish_shielded(self.disconnect())

    async def disconnect(self):
        print(f"{elapsed()} disconnecting from {self.name}...")
        await asyncio.sleep(0.2)
        print(f"{elapsed()} disconnected from {self.name}")

    async def execute(self, query):
        print(f"{elapsed()} {self.name}: {query}")
        await asyncio.sleep(0.3)
        return f"result of {query}"
# end book:connection


class Transaction:
    """BEGIN on entry; COMMIT if the body returned, ROLLBACK if it raised."""

    def __init__(self, db):
        self.db = db

    async def __aenter__(self):
        await self.db.execute("BEGIN")
        return self.db

    async def __aexit__(self, kind, error, traceback):
        await finish_shielded(self.db.execute("ROLLBACK" if error else "COMMIT"))


async def one_connection():
    async with Connection("orders") as db:
        result = await db.execute("SELECT count(*) FROM orders")
        print(f"{elapsed()} got the {result}")
    print(f"{elapsed()} main: after the scope")


async def transfer(db, amount):
    await db.execute(f"UPDATE accounts SET balance = balance - {amount} WHERE id = 1")
    if amount > 100:
        raise ValueError(f"insufficient funds for {amount}")
    await db.execute(f"UPDATE accounts SET balance = balance + {amount} WHERE id = 2")


async def transactions():
    for amount in (50, 500):
        try:
            async with Connection("bank") as db:
                async with Transaction(db) as tx:
                    await transfer(tx, amount)
            print(f"{elapsed()} main: transferred {amount}")
        except ValueError as error:
            print(f"{elapsed()} main: caught ValueError: {error}")


async def two_connections():
    for archive_refuses in (False, True):
        try:
            async with contextlib.AsyncExitStack() as stack:
                source = await stack.enter_async_context(Connection("orders"))
                target = await stack.enter_async_context(Connection("archive", archive_refuses))
                rows = await source.execute("SELECT * FROM orders WHERE year = 2020")
                await target.execute(f"INSERT INTO orders_2020 {rows}")
            print(f"{elapsed()} main: copied")
        except ConnectionRefusedError as error:
            print(f"{elapsed()} main: caught ConnectionRefusedError: {error}")


async def main():
    print("== a connection: connect, execute, disconnect")
    await one_connection()
    print("== a transaction commits on success, rolls back on error")
    await transactions()
    print("== two connections on an exit stack: left in reverse order, also when one refuses")
    await two_connections()


asyncio.run(main())
