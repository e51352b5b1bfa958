"""An outside cancellation at 0.5 s starts a 0.5 s cleanup inside a 1 s scope; the deadline at
1.0 s cuts the cleanup short with a second CancelledError. The scope withdraws its own request,
the outside one is left: CancelledError goes on, not TimeoutError.
(test_timeout.cpp: "an outside cancellation wins over a deadline during its cleanup")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


def text(error):
    return f"CancelledError({error.args[0] if error.args else ''})"


async def job(delay, cleanup):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError as error:
        print(at(f"job cancelled: {text(error)}"))
        await asyncio.sleep(cleanup)
        print(at("job cleaned up"))
        raise
    return 1


async def body():
    me = asyncio.current_task()
    try:
        async with asyncio.timeout(1) as scope:
            await job(5, 0.5)
    except TimeoutError:
        print(at("TimeoutError"))
    except asyncio.CancelledError as error:
        print(at(f"scope let through {text(error)}, expired() = {scope.expired()}, "
                 f"cancelling() = {me.cancelling()}"))
        raise


async def main():
    task = asyncio.create_task(body())
    await asyncio.sleep(0.5)
    task.cancel("outside")
    try:
        await task
    except asyncio.CancelledError:
        print(at(f"task cancelled() = {task.cancelled()}"))


asyncio.run(main())

# expect 3.11:
# 0.5 job cancelled: CancelledError(outside)
# 1.0 scope let through CancelledError(), expired() = True, cancelling() = 1
# 1.0 task cancelled() = True
