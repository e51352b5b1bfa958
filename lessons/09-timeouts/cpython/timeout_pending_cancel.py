"""A cancellation that is still pending (requested, not delivered) when a scope is entered counts
in the scope's baseline. If the deadline passes before any other request, the CancelledError that
comes out is taken for the scope's own: TimeoutError, and the task goes on with cancelling() 1.
Releases before 3.11.3 (Debian 12's python3 is 3.11.2) compared uncancel() with 0, not with the
count seen on entry: the error stays a CancelledError and the task ends cancelled.
(test_timeout.cpp: "a cancellation still pending when the scope is entered ...")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


def text(error):
    return f"CancelledError({error.args[0] if error.args else ''})"


async def job(delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError as error:
        print(at(f"job cancelled: {text(error)}"))
        raise
    return 1


async def body():
    me = asyncio.current_task()
    me.cancel("self")  # pending: not delivered yet
    try:
        async with asyncio.timeout(0):
            await job(0.05)
    except TimeoutError:
        print(at(f"TimeoutError, cancelling() = {me.cancelling()}"))
    await asyncio.sleep(0.1)
    print(at(f"still running, cancelling() = {me.cancelling()}"))
    return 1


async def main():
    task = asyncio.create_task(body())
    try:
        value = await task
        print(at(f"returned {value}, cancelled() = {task.cancelled()}"))
    except asyncio.CancelledError:
        print(at(f"the task ended cancelled: cancelled() = {task.cancelled()}"))


asyncio.run(main())

# expect 3.11:
# 0.0 job cancelled: CancelledError(self)
# 0.0 the task ended cancelled: cancelled() = True
# expect 3.11.3:
# 0.0 job cancelled: CancelledError(self)
# 0.0 TimeoutError, cancelling() = 1
# 0.1 still running, cancelling() = 1
# 0.1 returned 1, cancelled() = False
