"""What goes wrong when a coroutine swallows CancelledError, and the two right ways: let it go
on, or, when ignoring it is really meant, say so with uncancel().
demo_swallow.cpp prints the same lines."""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


# book:swallow
async def stubborn():
    for attempt in range(1, 4):
        try:
            await asyncio.sleep(1)
            print(f"{elapsed()} stubborn: attempt {attempt} done")
        except BaseException:  # the bug: catches CancelledError as well, and goes on
            print(f"{elapsed()} stubborn: attempt {attempt} failed, trying again")
    return "3 attempts"
# end book:swallow


async def polite():
    for attempt in range(1, 4):
        try:
            await asyncio.sleep(1)
            print(f"{elapsed()} polite: attempt {attempt} done")
        except asyncio.CancelledError:
            print(f"{elapsed()} polite: cancelled during attempt {attempt}")
            raise
        except Exception:
            print(f"{elapsed()} polite: attempt {attempt} failed, trying again")
    return "3 attempts"


# book:deliberate
async def deliberate():
    for attempt in range(1, 4):
        try:
            await asyncio.sleep(1)
            print(f"{elapsed()} deliberate: attempt {attempt} done")
        except asyncio.CancelledError:
            # Ignoring a cancellation on purpose: withdraw the request, so that cancelling()
            # (which timeouts and task groups rely on) tells the truth.
            left = asyncio.current_task().uncancel()
            print(f"{elapsed()} deliberate: ignoring a cancellation, cancelling() = {left}")
    return "3 attempts"
# end book:deliberate


async def cancel_after_1_5_s(coro):
    task = asyncio.create_task(coro)
    await asyncio.sleep(1.5)
    print(f"{elapsed()} main: cancel() returns {task.cancel()}")
    try:
        result = await task
        print(f"{elapsed()} main: the task returned {result}")
    except asyncio.CancelledError:
        print(f"{elapsed()} main: the task raised CancelledError")
    print(f"{elapsed()} main: cancelled() = {task.cancelled()}, cancelling() = {task.cancelling()}")


async def main():
    print("== a coroutine that swallows CancelledError")
    await cancel_after_1_5_s(stubborn())
    print("== one that lets it through")
    await cancel_after_1_5_s(polite())
    print("== one that ignores it on purpose, and says so")
    await cancel_after_1_5_s(deliberate())


asyncio.run(main())
