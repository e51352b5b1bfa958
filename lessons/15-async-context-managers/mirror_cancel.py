"""Lesson 15's cancellation program in asyncio: a request handler holds a connection while it runs
a slow report; the client hangs up and the handler is cancelled mid-query. The connection's
teardown still runs, and a second cancellation that arrives while it disconnects does not cut it
short: __aexit__ shields it with finish_shielded(), as aio shields every teardown (without it,
asyncio cuts the teardown at the second cancel: cpython/cancel_during_aexit.py).
demo_cancel.cpp prints the same lines."""
import asyncio


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


class Connection:
    def __init__(self, name):
        self.name = name

    async def __aenter__(self):
        print(f"{elapsed()} connecting to {self.name}...")
        await asyncio.sleep(0.5)
        print(f"{elapsed()} connected to {self.name}")
        return self

    async def __aexit__(self, kind, error, traceback):
        await finish_shielded(self.disconnect(error))

    async def disconnect(self, error):
        print(f"{elapsed()} disconnecting from {self.name} "
              f"(the body {'did not return' if error else 'returned'})...")
        await asyncio.sleep(0.2)
        print(f"{elapsed()} disconnected from {self.name}")


async def slow_report(db):
    print(f"{elapsed()} report: started")
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError as error:
        print(f"{elapsed()} report: interrupted ({error})")
        raise
    print(f"{elapsed()} report: done")


async def handle_request():
    try:
        async with Connection("orders") as db:
            await slow_report(db)
    except asyncio.CancelledError as error:
        print(f"{elapsed()} handler: CancelledError({error}) left the scope")
        raise


async def hang_up(cancels):
    loop = asyncio.get_running_loop()
    start = loop.time()
    handler = asyncio.create_task(handle_request())
    for when in cancels:
        await asyncio.sleep(start + when - loop.time())
        print(f"{elapsed()} main: cancel the handler")
        handler.cancel("the client hung up")
    try:
        await handler
    except asyncio.CancelledError:
        print(f"{elapsed()} main: the handler ended cancelled: {handler.cancelled()}")


async def main():
    print("== cancelled mid-query: the disconnect still runs")
    await hang_up([1])
    print("== cancelled again while it disconnects: the disconnect still finishes")
    await hang_up([1, 1.1])


asyncio.run(main())
