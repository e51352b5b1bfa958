"""What `async with` does on each path, in CPython 3.11: __aexit__ runs after a body that returned,
threw or was cancelled, and is told what the body threw; the error goes on unless __aexit__
returns True; an error raised by __aexit__ replaces the body's; an __aenter__ that raises means no
body and no __aexit__. An error raised by __aexit__ replaces a CancelledError too: the task then
ends with that error, not cancelled, while its cancelling() still counts the request. The order and the times are those of test_async_with.cpp's ex2 tests.
(test_async_with.cpp: the l15.ex2 section)"""
import asyncio


def at(what):
    print(f"{asyncio.get_running_loop().time():.1f} {what}")


def describe(error):
    return "none" if error is None else f"{type(error).__name__}: {error}"


class Resource:
    def __init__(self, name, swallow=False, exit_failure=None, enter_failure=None):
        self.name, self.swallow = name, swallow
        self.exit_failure, self.enter_failure = exit_failure, enter_failure

    async def __aenter__(self):
        at(f"{self.name} enters")
        await asyncio.sleep(1)
        at(f"{self.name} setup done")
        if self.enter_failure:
            raise ConnectionRefusedError(self.enter_failure)
        return self

    async def __aexit__(self, kind, error, traceback):
        at(f"{self.name} exits, told {describe(error)}")
        await asyncio.sleep(1)
        at(f"{self.name} teardown done")
        if self.exit_failure:
            raise OSError(self.exit_failure)
        return self.swallow


async def scope(coro):
    try:
        await coro
    except BaseException as error:
        at(f"scope ended: {describe(error)}")
    else:
        at("scope ended normally")


async def success():
    async with Resource("db"):
        await asyncio.sleep(1)
        at("body done")


async def fails(manager):
    async with manager:
        await asyncio.sleep(1)
        at("body done")
        raise ValueError("boom")
    at("after the block: the error was swallowed")


async def cancelled(manager=None):
    async with manager or Resource("db"):
        try:
            await asyncio.sleep(10)
        except asyncio.CancelledError:
            at("body interrupted")
            raise


async def main():
    global start
    print("== success")
    await scope(success())
    print("== error")
    await scope(fails(Resource("db")))
    print("== cancellation")
    task = asyncio.create_task(cancelled())
    await asyncio.sleep(2)
    at("cancel")
    task.cancel("client left")
    await scope(task)
    at(f"task cancelled() = {task.cancelled()}")
    print("== __aexit__ returns True")
    await scope(fails(Resource("suppress", swallow=True)))
    print("== __aexit__ raises")
    await scope(fails(Resource("db", exit_failure="disconnect failed")))
    print("== __aenter__ raises")
    await scope(fails(Resource("db", enter_failure="connection refused")))
    print("== __aexit__ raises after a cancellation: its error replaces the CancelledError")
    task = asyncio.create_task(cancelled(Resource("db", exit_failure="disconnect failed")))
    await asyncio.sleep(2)
    at("cancel")
    task.cancel("client left")
    await scope(task)
    at(f"task cancelled() = {task.cancelled()}, cancelling() = {task.cancelling()}")


asyncio.run(main())

# expect 3.11:
# == success
# 0.0 db enters
# 1.0 db setup done
# 2.0 body done
# 2.0 db exits, told none
# 3.0 db teardown done
# 3.0 scope ended normally
# == error
# 3.0 db enters
# 4.0 db setup done
# 5.0 body done
# 5.0 db exits, told ValueError: boom
# 6.0 db teardown done
# 6.0 scope ended: ValueError: boom
# == cancellation
# 6.0 db enters
# 7.0 db setup done
# 8.0 cancel
# 8.0 body interrupted
# 8.0 db exits, told CancelledError: client left
# 9.0 db teardown done
# 9.0 scope ended: CancelledError: client left
# 9.0 task cancelled() = True
# == __aexit__ returns True
# 9.0 suppress enters
# 10.0 suppress setup done
# 11.0 body done
# 11.0 suppress exits, told ValueError: boom
# 12.0 suppress teardown done
# 12.0 after the block: the error was swallowed
# 12.0 scope ended normally
# == __aexit__ raises
# 12.0 db enters
# 13.0 db setup done
# 14.0 body done
# 14.0 db exits, told ValueError: boom
# 15.0 db teardown done
# 15.0 scope ended: OSError: disconnect failed
# == __aenter__ raises
# 15.0 db enters
# 16.0 db setup done
# 16.0 scope ended: ConnectionRefusedError: connection refused
# == __aexit__ raises after a cancellation: its error replaces the CancelledError
# 16.0 db enters
# 17.0 db setup done
# 18.0 cancel
# 18.0 body interrupted
# 18.0 db exits, told CancelledError: client left
# 19.0 db teardown done
# 19.0 scope ended: OSError: disconnect failed
# 19.0 task cancelled() = False, cancelling() = 1
