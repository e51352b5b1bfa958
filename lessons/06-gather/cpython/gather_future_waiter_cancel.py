"""Cancelling the task that awaits a gather cancels a future child too, at once and with the
message, as it cancels a task child; the awaiting task then sees CancelledError with the message.
(test_gather.cpp: "cancelling the task that awaits gather cancels a future child")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def awaits_gather(future):
    try:
        await asyncio.gather(future, asyncio.sleep(5))
    except asyncio.CancelledError as error:
        print(at(f"waiter sees CancelledError{error.args}"))
        raise


async def main():
    future = asyncio.get_running_loop().create_future()
    waiter = asyncio.create_task(awaits_gather(future))
    await asyncio.sleep(1)
    waiter.cancel("bye")
    print(at(f"future.cancelled() = {future.cancelled()}"))
    try:
        await waiter
    except asyncio.CancelledError:
        print(at(f"waiter.cancelled() = {waiter.cancelled()}"))


asyncio.run(main())

# expect 3.11:
# 1.0 future.cancelled() = True
# 1.0 waiter sees CancelledError('bye',)
# 1.0 waiter.cancelled() = True
