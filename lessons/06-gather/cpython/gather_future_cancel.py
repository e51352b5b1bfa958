"""Cancelling a gather cancels a future child at once, with the message: the future is cancelled
as soon as cancel() returns (a task child is only asked, and ends at its next step). Awaiting the
gather raises CancelledError with the message. With return_exceptions, a gather whose last
pending child is a future still ends with CancelledError when cancelled, not with the slots: the
gather notes the request before its done callback on the future runs. A future takes no Task-N
name: the coroutine wrapped after it is Task-2 (main is Task-1).
(test_gather.cpp: "cancelling a held gather cancels a future child at once", "a cancelled
gather whose last child is a future raises CancelledError")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def child(seconds):
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError as error:
        print(at(f"{asyncio.current_task().get_name()} sees CancelledError{error.args}"))
        raise
    return seconds


async def main():
    loop = asyncio.get_running_loop()
    future = loop.create_future()
    gathering = asyncio.gather(future, child(2))
    await asyncio.sleep(1)
    print(at(f"cancel('stop'): {gathering.cancel('stop')}; future.cancelled() = {future.cancelled()}"))
    try:
        await gathering
    except asyncio.CancelledError as error:
        print(at(f"await raises CancelledError{error.args}"))

    done_task = asyncio.create_task(child(0))
    future = loop.create_future()
    gathering = asyncio.gather(done_task, future, return_exceptions=True)
    await asyncio.sleep(1)
    print(at(f"cancel(): {gathering.cancel()}; future.cancelled() = {future.cancelled()}"))
    try:
        print(at(f"await gives {await gathering}"))
    except asyncio.CancelledError as error:
        print(at(f"await raises CancelledError{error.args}"))


asyncio.run(main())

# expect 3.11:
# 1.0 cancel('stop'): True; future.cancelled() = True
# 1.0 Task-2 sees CancelledError('stop',)
# 1.0 await raises CancelledError('stop',)
# 2.0 cancel(): True; future.cancelled() = True
# 2.0 await raises CancelledError()
