"""When a task group takes back its own cancellation of the task running it (uncancel()).

3.11 and 3.12 call uncancel() at the start of __aexit__, before they wait for the children. A
child that fails while the scope already waits (the body ended first) makes the group cancel the
task after that uncancel() has run, and nothing takes the request back: the task goes on with
cancelling() = 1. 3.13 calls uncancel() after the wait, and the count is back to 0. When the body
is still running at the failure, the count is 0 in every version.
(test_task_group.cpp: "a failure while the scope waits: ...", "after a failure the task ...")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def job(name, delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(at(f"{name} cancelled"))
        raise


async def failing(name, delay):
    await asyncio.sleep(delay)
    print(at(f"{name} fails"))
    raise RuntimeError(f"{name} broke")


async def scope(body_waits):
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(job("a", 10))
            group.create_task(failing("b", 1))
            if body_waits:
                await asyncio.sleep(10)
            print(at("body ends"))
    except* RuntimeError as errors:
        print(at(f"ExceptionGroup: {[str(e) for e in errors.exceptions]}"))
    print(at(f"cancelling() = {asyncio.current_task().cancelling()}"))


async def main():
    print("== the body ends first, then a child fails")
    await asyncio.create_task(scope(body_waits=False))
    print("== a child fails while the body runs")
    await asyncio.create_task(scope(body_waits=True))


asyncio.run(main())

# expect 3.11:
# == the body ends first, then a child fails
# 0.0 body ends
# 1.0 b fails
# 1.0 a cancelled
# 1.0 ExceptionGroup: ['b broke']
# 1.0 cancelling() = 1
# == a child fails while the body runs
# 2.0 b fails
# 2.0 a cancelled
# 2.0 ExceptionGroup: ['b broke']
# 2.0 cancelling() = 0
# expect 3.13:
# == the body ends first, then a child fails
# 0.0 body ends
# 1.0 b fails
# 1.0 a cancelled
# 1.0 ExceptionGroup: ['b broke']
# 1.0 cancelling() = 0
# == a child fails while the body runs
# 2.0 b fails
# 2.0 a cancelled
# 2.0 ExceptionGroup: ['b broke']
# 2.0 cancelling() = 0
