"""A body that awaits one of its own children.

If the child fails, the body does not see the child's error: the group cancels the body in the
same iteration as the body's wake-up, so its await raises the group's CancelledError, and the
child's error is in the ExceptionGroup once. If someone else cancelled the child, the body's await
raises that CancelledError, which leaves the body like a cancellation of the task: CancelledError
leaves the scope, though nobody cancelled the task (cancelling() = 0).
(test_task_group.cpp: "a body awaiting a failing child ...", "a body awaiting a child that
someone cancelled ...")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def failing(name, delay):
    await asyncio.sleep(delay)
    print(at(f"{name} fails"))
    raise RuntimeError(f"{name} broke")


async def job(name, delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(at(f"{name} cancelled"))
        raise


async def cancel_later(task, delay):
    await asyncio.sleep(delay)
    task.cancel()


async def awaits_a_failing_child():
    try:
        async with asyncio.TaskGroup() as group:
            child = group.create_task(failing("b", 1))
            try:
                await child
            except asyncio.CancelledError:
                print(at("the body's await child raised CancelledError"))
                raise
    except* RuntimeError as errors:
        print(at(f"ExceptionGroup: {[str(e) for e in errors.exceptions]}"))


async def awaits_a_cancelled_child():
    try:
        async with asyncio.TaskGroup() as group:
            child = group.create_task(job("a", 5))
            asyncio.create_task(cancel_later(child, 1))  # someone outside the group cancels it
            await child
        print(at("scope ended normally"))
    except asyncio.CancelledError:
        print(at("scope ended: CancelledError"))
    print(at(f"cancelling() = {asyncio.current_task().cancelling()}"))


async def main():
    await asyncio.create_task(awaits_a_failing_child())
    await asyncio.create_task(awaits_a_cancelled_child())


asyncio.run(main())

# expect 3.11:
# 1.0 b fails
# 1.0 the body's await child raised CancelledError
# 1.0 ExceptionGroup: ['b broke']
# 2.0 a cancelled
# 2.0 scope ended: CancelledError
# 2.0 cancelling() = 0
