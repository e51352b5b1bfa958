"""A task that swallows CancelledError finishes normally: not cancelled, with cancelling() still 1.
A task that awaits such a task and is cancelled (the request is forwarded) gets the value and goes
on, also with cancelling() 1. A task that ignores a cancellation with uncancel() is back at 0.
(test_cancellation.cpp: the three tests about swallowing)"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def swallows():
    try:
        await asyncio.sleep(5)
    except BaseException:  # the bug: catches CancelledError too, and does not re-raise
        print(at("swallowed"))
    return 7


async def outer_of_swallower():
    inner = asyncio.create_task(swallows())
    value = await inner
    print(at(f"outer got {value}, cancelling() {asyncio.current_task().cancelling()}"))
    await asyncio.sleep(1)
    print(at("outer goes on"))
    return value


async def swallows_on_purpose():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        left = asyncio.current_task().uncancel()
        print(at(f"ignored a cancellation, cancelling() now {left}"))
    await asyncio.sleep(1)
    return "done"


async def main():
    task = asyncio.create_task(swallows())
    await asyncio.sleep(1)
    task.cancel()
    result = await task
    print(at(f"main: result {result}, cancelled() {task.cancelled()}, cancelling() {task.cancelling()}"))

    outer = asyncio.create_task(outer_of_swallower())
    await asyncio.sleep(1)
    print(at(f"cancel() returns {outer.cancel('outer')}"))
    value = await outer
    print(at(f"main: {value}, cancelled() {outer.cancelled()}, cancelling() {outer.cancelling()}"))

    task = asyncio.create_task(swallows_on_purpose())
    await asyncio.sleep(0)
    task.cancel()
    result = await task
    print(at(f"main: {result}, cancelled() {task.cancelled()}, cancelling() {task.cancelling()}"))


asyncio.run(main())

# expect 3.11:
# 1.0 swallowed
# 1.0 main: result 7, cancelled() False, cancelling() 1
# 2.0 cancel() returns True
# 2.0 swallowed
# 2.0 outer got 7, cancelling() 1
# 3.0 outer goes on
# 3.0 main: 7, cancelled() False, cancelling() 1
# 3.0 ignored a cancellation, cancelling() now 0
# 4.0 main: done, cancelled() False, cancelling() 0
