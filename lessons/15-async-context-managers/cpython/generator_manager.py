"""contextlib.asynccontextmanager: the generator's code before its yield is the setup, the value it
yields is what `as` binds, the code after it the teardown. A body's error is thrown in at the
yield: rethrown, it goes on; replaced, the new one leaves; caught, and the generator ends, it is
swallowed. A generator that never yields, or yields again, is a RuntimeError. Last, a second
cancellation while the generator rolls back cuts the rollback short in asyncio (aio shields the
teardown: it runs to its end, and the cancellation leaves at 3.0).
(test_context_manager.cpp)"""
import asyncio
import contextlib


def at(what):
    print(f"{asyncio.get_running_loop().time():.1f} {what}")


def describe(error):
    return "none" if error is None else f"{type(error).__name__}: {error}"


@contextlib.asynccontextmanager
async def transaction(on_error):
    at("BEGIN")
    await asyncio.sleep(1)
    try:
        yield 42
    except BaseException as error:
        at(f"ROLLBACK, after {describe(error)}")
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            at("rollback interrupted")
            raise
        at("rolled back")
        if on_error == "rethrow":
            raise
        if on_error == "replace":
            raise OSError("rollback failed")
    else:
        at("COMMIT")
        await asyncio.sleep(1)
        at("committed")


@contextlib.asynccontextmanager
async def yields(times):
    for i in range(times):
        at(f"yield {i}")
        yield i
    at("generator ends")


@contextlib.asynccontextmanager
async def yields_after_error():
    try:
        yield 1
    except Exception:
        at("caught, yields again")
    yield 2


async def scope(coro):
    try:
        await coro
    except BaseException as error:
        at(f"scope ended: {describe(error)}")
    else:
        at("scope ended normally")


async def in_transaction(on_error, fail):
    async with transaction(on_error) as number:
        at(f"body got {number}")
        await asyncio.sleep(1)
        if fail:
            raise ValueError("bad row")


async def with_yields(manager, fail):
    async with manager as number:
        at(f"body got {number}" + (", throws" if fail else ""))
        if fail:
            raise ValueError("body failed")


async def body_waits():
    async with transaction("rethrow") as number:
        at(f"body got {number}")
        await asyncio.sleep(10)


async def main():
    print("== commit")
    await scope(in_transaction("rethrow", False))
    print("== rollback, rethrown")
    await scope(in_transaction("rethrow", True))
    print("== rollback, swallowed")
    await scope(in_transaction("swallow", True))
    print("== rollback, replaced")
    await scope(in_transaction("replace", True))
    print("== never yields")
    await scope(with_yields(yields(0), False))
    print("== yields twice")
    await scope(with_yields(yields(2), False))
    print("== an error at the first yield")
    await scope(with_yields(yields(2), True))
    print("== catches the error and yields again")
    await scope(with_yields(yields_after_error(), True))
    print("== cancelled twice")
    task = asyncio.create_task(body_waits())
    await asyncio.sleep(2)
    at("cancel")
    task.cancel("hung up")
    await asyncio.sleep(0.5)
    at("cancel again, during the rollback")
    task.cancel("hung up again")
    await scope(task)


asyncio.run(main())

# expect 3.11:
# == commit
# 0.0 BEGIN
# 1.0 body got 42
# 2.0 COMMIT
# 3.0 committed
# 3.0 scope ended normally
# == rollback, rethrown
# 3.0 BEGIN
# 4.0 body got 42
# 5.0 ROLLBACK, after ValueError: bad row
# 6.0 rolled back
# 6.0 scope ended: ValueError: bad row
# == rollback, swallowed
# 6.0 BEGIN
# 7.0 body got 42
# 8.0 ROLLBACK, after ValueError: bad row
# 9.0 rolled back
# 9.0 scope ended normally
# == rollback, replaced
# 9.0 BEGIN
# 10.0 body got 42
# 11.0 ROLLBACK, after ValueError: bad row
# 12.0 rolled back
# 12.0 scope ended: OSError: rollback failed
# == never yields
# 12.0 generator ends
# 12.0 scope ended: RuntimeError: generator didn't yield
# == yields twice
# 12.0 yield 0
# 12.0 body got 0
# 12.0 yield 1
# 12.0 scope ended: RuntimeError: generator didn't stop
# == an error at the first yield
# 12.0 yield 0
# 12.0 body got 0, throws
# 12.0 scope ended: ValueError: body failed
# == catches the error and yields again
# 12.0 body got 1, throws
# 12.0 caught, yields again
# 12.0 scope ended: RuntimeError: generator didn't stop after athrow()
# == cancelled twice
# 12.0 BEGIN
# 13.0 body got 42
# 14.0 cancel
# 14.0 ROLLBACK, after CancelledError: hung up
# 14.5 cancel again, during the rollback
# 14.5 rollback interrupted
# 14.5 scope ended: CancelledError: hung up again
