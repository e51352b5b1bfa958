"""A task running a task group is cancelled from outside, and a child fails while the group stops
(here, during its cleanup). Failures beat a cancellation: the ExceptionGroup leaves the scope, not
CancelledError, in every version. What becomes of the outside request differs.

3.11 and 3.12: it is lost. It still counts (cancelling() = 1), but nothing delivers it: a task
that handles the ExceptionGroup sleeps on and returns normally, as if nobody had cancelled it.
3.13: the group cancels the task again as it lets the errors out (uncancel(), then cancel(), so
the count stays 1): the task's next await raises CancelledError, and the task ends cancelled.
(test_task_group.cpp: "an outer cancellation while children fail: ...")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def cleanup_fails(name):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print(at(f"{name} cleans up"))
        await asyncio.sleep(0.5)
        print(at(f"{name} cleanup fails"))
        raise LookupError(f"{name}'s cleanup broke")


async def runner():
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(cleanup_fails("a"))
            group.create_task(asyncio.sleep(10))  # cancelled too, silently
            await asyncio.sleep(10)
    except* LookupError as errors:
        print(at(f"ExceptionGroup: {[str(e) for e in errors.exceptions]}"))
    print(at(f"cancelling() = {asyncio.current_task().cancelling()}"))
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print(at("the next await raised CancelledError"))
        raise
    print(at("slept 1 s as usual: the outside cancellation is lost"))
    return 1


async def main():
    task = asyncio.create_task(runner())
    await asyncio.sleep(2)
    print(at("cancel the runner"))
    task.cancel()
    try:
        print(at(f"the runner returned {await task}"))
    except asyncio.CancelledError:
        print(at("the runner ended cancelled"))


asyncio.run(main())

# expect 3.11:
# 2.0 cancel the runner
# 2.0 a cleans up
# 2.5 a cleanup fails
# 2.5 ExceptionGroup: ["a's cleanup broke"]
# 2.5 cancelling() = 1
# 3.5 slept 1 s as usual: the outside cancellation is lost
# 3.5 the runner returned 1
# expect 3.13:
# 2.0 cancel the runner
# 2.0 a cleans up
# 2.5 a cleanup fails
# 2.5 ExceptionGroup: ["a's cleanup broke"]
# 2.5 cancelling() = 1
# 2.5 the next await raised CancelledError
# 2.5 the runner ended cancelled
