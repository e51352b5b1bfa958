"""A task running a task group is cancelled from outside, and a child fails while the group stops
(here, during its cleanup). Failures beat a cancellation: the ExceptionGroup leaves the scope, not
CancelledError, in every version. What becomes of the outside request differs.

3.11 and 3.12: it is lost. It still counts (cancelling() = 1), but nothing delivers it: a task
that handles the ExceptionGroup sleeps on and returns normally, as if nobody had cancelled it.
3.13: the group cancels the task again as it lets the errors out (uncancel(), then cancel(), so
the count stays 1): the task's next await raises CancelledError, and the task ends cancelled.
The second program fails first and is cancelled from outside afterwards, while a child still
cleans up: the group's own request is taken back, the outside one still counts (cancelling() = 1
in every version), and the ExceptionGroup leaves. 3.11 and 3.12 lose the outside request again;
3.13 delivers it, here as the runner returns, so the runner ends cancelled.
(test_task_group.cpp: "an outer cancellation while children fail: ...", "a cancellation from
outside after a failure still counts ...")"""
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


async def failing(name, delay):
    await asyncio.sleep(delay)
    print(at(f"{name} fails"))
    raise RuntimeError(f"{name} broke")


async def slow_cleanup(name, cleanup):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print(at(f"{name} cleans up"))
        await asyncio.sleep(cleanup)
        print(at(f"{name} cleaned up"))
        raise


async def fails_then_cancelled():
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(slow_cleanup("a", 1))
            group.create_task(failing("b", 1))
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                print(at("body cancelled"))
                raise
    except* RuntimeError as errors:
        print(at(f"ExceptionGroup: {[str(e) for e in errors.exceptions]}"))
    print(at(f"cancelling() = {asyncio.current_task().cancelling()}"))
    return 2


async def cancel_at(delay, program):
    task = asyncio.create_task(program())
    await asyncio.sleep(delay)
    print(at("cancel the runner"))
    task.cancel()
    try:
        print(at(f"the runner returned {await task}"))
    except asyncio.CancelledError:
        print(at("the runner ended cancelled"))


print("== cancelled, then a child fails")
asyncio.run(cancel_at(2, runner))
print("== a child fails, then cancelled")
asyncio.run(cancel_at(1.5, fails_then_cancelled))

# expect 3.11:
# == cancelled, then a child fails
# 2.0 cancel the runner
# 2.0 a cleans up
# 2.5 a cleanup fails
# 2.5 ExceptionGroup: ["a's cleanup broke"]
# 2.5 cancelling() = 1
# 3.5 slept 1 s as usual: the outside cancellation is lost
# 3.5 the runner returned 1
# == a child fails, then cancelled
# 1.0 b fails
# 1.0 a cleans up
# 1.0 body cancelled
# 1.5 cancel the runner
# 2.0 a cleaned up
# 2.0 ExceptionGroup: ['b broke']
# 2.0 cancelling() = 1
# 2.0 the runner returned 2
# expect 3.13:
# == cancelled, then a child fails
# 2.0 cancel the runner
# 2.0 a cleans up
# 2.5 a cleanup fails
# 2.5 ExceptionGroup: ["a's cleanup broke"]
# 2.5 cancelling() = 1
# 2.5 the next await raised CancelledError
# 2.5 the runner ended cancelled
# == a child fails, then cancelled
# 1.0 b fails
# 1.0 a cleans up
# 1.0 body cancelled
# 1.5 cancel the runner
# 2.0 a cleaned up
# 2.0 ExceptionGroup: ['b broke']
# 2.0 cancelling() = 1
# 2.0 the runner ended cancelled
