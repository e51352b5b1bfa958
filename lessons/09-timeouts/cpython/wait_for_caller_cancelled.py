"""The task that awaits wait_for is cancelled: wait_for cancels the inner task too, waits for its
cleanup, and then the caller's own CancelledError (with its message) goes on.
3.11: the inner task is cancelled by wait_for, without a message, one iteration later. 3.12: the
coroutine runs in the caller's task, so it gets the caller's own CancelledError("stop") at once.
(test_wait_for.cpp: "cancelling the caller cancels the task too, waits for its cleanup")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def ticker(count):
    for i in range(count):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def job(delay, value, cleanup):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError as error:
        print(at(f"job cancelled: CancelledError({error.args[0] if error.args else ''})"))
        await asyncio.sleep(cleanup)
        print(at("job cleaned up"))
        raise
    return value


async def caller():
    try:
        await asyncio.wait_for(job(5, 1, 0.5), 3)
    except asyncio.CancelledError as error:
        print(at(f"caller cancelled: CancelledError({error.args[0] if error.args else ''})"))
        raise


async def main():
    task = asyncio.create_task(caller())
    await asyncio.sleep(1)
    task.cancel("stop")
    tick = asyncio.create_task(ticker(3))
    try:
        await task
    except asyncio.CancelledError:
        print(at("main saw the caller cancelled"))
    await tick


asyncio.run(main())

# expect 3.11:
# tick 0
# 1.0 job cancelled: CancelledError()
# tick 1
# tick 2
# 1.5 job cleaned up
# 1.5 caller cancelled: CancelledError(stop)
# 1.5 main saw the caller cancelled
# expect 3.12:
# 1.0 job cancelled: CancelledError(stop)
# tick 0
# tick 1
# tick 2
# 1.5 job cleaned up
# 1.5 caller cancelled: CancelledError(stop)
# 1.5 main saw the caller cancelled
