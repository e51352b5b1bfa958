"""A task that cancels itself: cancel() returns True, the task keeps running until its next await,
which raises; if it returns without awaiting again, it still ends cancelled.
(test_cancellation.cpp: "a task that cancels itself and returns without awaiting again ..." and
"a task that cancels itself gets CancelledError at its next co_await")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def cancels_itself_and_returns():
    print(at(f"cancel() of myself: {asyncio.current_task().cancel('myself')}"))
    print(at("still running"))
    return 1


async def cancels_itself_then_sleeps():
    print(at(f"cancel() of myself: {asyncio.current_task().cancel('me')}"))
    print(at("still running"))
    try:
        await asyncio.sleep(5)
    except asyncio.CancelledError as error:
        print(at(f"the sleep throws CancelledError({error.args[0]})"))
        raise
    print(at("never"))


async def main():
    task = asyncio.create_task(cancels_itself_and_returns())
    try:
        await task
    except asyncio.CancelledError as error:
        print(at(f"cancelled() = {task.cancelled()}, cancelling() = {task.cancelling()}, "
                 f"CancelledError({error.args[0]})"))
    task = asyncio.create_task(cancels_itself_then_sleeps())
    try:
        await task
    except asyncio.CancelledError:
        print(at("main sees the task cancelled"))


asyncio.run(main())

# expect 3.11:
# 0.0 cancel() of myself: True
# 0.0 still running
# 0.0 cancelled() = True, cancelling() = 1, CancelledError(myself)
# 0.0 cancel() of myself: True
# 0.0 still running
# 0.0 the sleep throws CancelledError(me)
# 0.0 main sees the task cancelled
