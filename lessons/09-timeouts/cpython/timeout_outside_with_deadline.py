"""A cancellation from outside that comes in the same loop iteration as the scope's deadline, and
after it: the scope withdraws its own request, one is left, so the CancelledError goes on and is
not turned into TimeoutError.
(test_timeout.cpp: "a cancellation from outside that comes with the deadline ...")"""
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
    try:
        async with asyncio.timeout(1) as scope:
            await job(5)
    except TimeoutError:
        print(at("TimeoutError"))
    except asyncio.CancelledError as error:
        print(at(f"scope let through {text(error)}, expired() = {scope.expired()}, "
                 f"cancelling() = {me.cancelling()}"))
        raise


async def main():
    task = asyncio.create_task(body())
    await asyncio.sleep(1)  # due after the scope's timer, in the same iteration
    task.cancel("outside")
    try:
        await task
    except asyncio.CancelledError:
        print(at(f"task cancelled() = {task.cancelled()}"))


asyncio.run(main())

# expect 3.11:
# 1.0 job cancelled: CancelledError()
# 1.0 scope let through CancelledError(), expired() = True, cancelling() = 1
# 1.0 task cancelled() = True
