"""A cancellation that is still pending (requested, not delivered) when a scope is entered counts
in the scope's baseline. If the deadline passes before any other request, the CancelledError that
comes out is taken for the scope's own: TimeoutError, and the task goes on with cancelling() 1.
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
    value = await task
    print(at(f"returned {value}, cancelled() = {task.cancelled()}"))


asyncio.run(main())

# expect 3.11:
# 0.0 job cancelled: CancelledError(self)
# 0.0 TimeoutError, cancelling() = 1
# 0.1 still running, cancelling() = 1
# 0.1 returned 1, cancelled() = False
