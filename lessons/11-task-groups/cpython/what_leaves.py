"""What leaves the scope of a task group: the failures together, as one ExceptionGroup, in the
order they happened, with an exception from the body last; the task that ran the scope is not
left cancelled (except in 3.11 and 3.12 when the body had ended before the first failure: see
uncancel_after_wait.py); a body that swallows the group's cancellation runs on, and the ExceptionGroup
still leaves; a failed inner group is one member of the outer group.
(test_task_group.cpp, l11.ex4: the programs with the same names)"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


def describe(error):
    if isinstance(error, BaseExceptionGroup):
        return f"ExceptionGroup: {error}"
    return f"{type(error).__name__}: {error}"


def members(group):
    for error in group.exceptions:
        print(f"  {describe(error)}")


async def job(name, delay, quiet=False):
    print(at(f"{name} starts"))
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        if not quiet:
            print(at(f"{name} cancelled"))
        raise
    print(at(f"{name} done"))


async def failing(name, delay):
    print(at(f"{name} starts"))
    await asyncio.sleep(delay)
    print(at(f"{name} fails"))
    raise RuntimeError(f"{name} broke")


async def slow_cleanup(name, delay, cleanup, failure):
    print(at(f"{name} starts"))
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(at(f"{name} cleans up"))
        await asyncio.sleep(cleanup)
        print(at(f"{name} cleanup fails"))
        raise LookupError(failure)


async def collects_failures():
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(slow_cleanup("a", 10, 0.5, "a's cleanup broke"))
            group.create_task(failing("b", 1))
            group.create_task(job("c", 10, quiet=True))
    except* Exception as errors:
        print(at(str(errors)))
        members(errors)
    print(at(f"cancelling() = {asyncio.current_task().cancelling()}"))


async def goes_on_after_failure():
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(failing("b", 1))
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                print(at("body cancelled"))
                raise
    except* RuntimeError as errors:
        print(at(f"scope ended: {describe(errors)}"))
    print(at(f"cancelling() = {asyncio.current_task().cancelling()}"))
    await asyncio.sleep(1)
    print(at("the task sleeps as usual"))


async def body_error_comes_last():
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(job("a", 10, quiet=True))
            group.create_task(slow_cleanup("c", 10, 0.5, "c's cleanup broke"))
            await asyncio.sleep(1)
            print(at("body throws"))
            raise ValueError("body broke")
    except* Exception as errors:
        print(at(str(errors)))
        members(errors)


async def body_swallows():
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(failing("b", 1))
            try:
                await asyncio.sleep(10)
            except asyncio.CancelledError:
                print(at("body swallows the cancellation"))
            await asyncio.sleep(2)
            print(at("body ends"))
    except* RuntimeError as errors:
        print(at(f"scope ended: {describe(errors)}"))


async def inner_group():
    async with asyncio.TaskGroup() as group:
        group.create_task(failing("x", 1))
        group.create_task(job("y", 10))


async def nested_groups():
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(inner_group())
            group.create_task(failing("z", 2))
            group.create_task(job("w", 10))
    except* Exception as errors:
        print(at(str(errors)))
        members(errors)
        for error in errors.exceptions[0].exceptions:
            print(f"    {describe(error)}")


for program in (collects_failures, goes_on_after_failure, body_error_comes_last, body_swallows, nested_groups):
    print(f"== {program.__name__}")
    asyncio.run(program())

# expect 3.11:
# == collects_failures
# 0.0 a starts
# 0.0 b starts
# 0.0 c starts
# 1.0 b fails
# 1.0 a cleans up
# 1.5 a cleanup fails
# 1.5 unhandled errors in a TaskGroup (2 sub-exceptions)
#   RuntimeError: b broke
#   LookupError: a's cleanup broke
# 1.5 cancelling() = 1
# == goes_on_after_failure
# 0.0 b starts
# 1.0 b fails
# 1.0 body cancelled
# 1.0 scope ended: ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)
# 1.0 cancelling() = 0
# 2.0 the task sleeps as usual
# == body_error_comes_last
# 0.0 a starts
# 0.0 c starts
# 1.0 body throws
# 1.0 c cleans up
# 1.5 c cleanup fails
# 1.5 unhandled errors in a TaskGroup (2 sub-exceptions)
#   LookupError: c's cleanup broke
#   ValueError: body broke
# == body_swallows
# 0.0 b starts
# 1.0 b fails
# 1.0 body swallows the cancellation
# 3.0 body ends
# 3.0 scope ended: ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)
# == nested_groups
# 0.0 z starts
# 0.0 w starts
# 0.0 x starts
# 0.0 y starts
# 1.0 x fails
# 1.0 y cancelled
# 1.0 w cancelled
# 1.0 unhandled errors in a TaskGroup (1 sub-exception)
#   ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)
#     RuntimeError: x broke
# expect 3.13:
# == collects_failures
# 0.0 a starts
# 0.0 b starts
# 0.0 c starts
# 1.0 b fails
# 1.0 a cleans up
# 1.5 a cleanup fails
# 1.5 unhandled errors in a TaskGroup (2 sub-exceptions)
#   RuntimeError: b broke
#   LookupError: a's cleanup broke
# 1.5 cancelling() = 0
# == goes_on_after_failure
# 0.0 b starts
# 1.0 b fails
# 1.0 body cancelled
# 1.0 scope ended: ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)
# 1.0 cancelling() = 0
# 2.0 the task sleeps as usual
# == body_error_comes_last
# 0.0 a starts
# 0.0 c starts
# 1.0 body throws
# 1.0 c cleans up
# 1.5 c cleanup fails
# 1.5 unhandled errors in a TaskGroup (2 sub-exceptions)
#   LookupError: c's cleanup broke
#   ValueError: body broke
# == body_swallows
# 0.0 b starts
# 1.0 b fails
# 1.0 body swallows the cancellation
# 3.0 body ends
# 3.0 scope ended: ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)
# == nested_groups
# 0.0 z starts
# 0.0 w starts
# 0.0 x starts
# 0.0 y starts
# 1.0 x fails
# 1.0 y cancelled
# 1.0 w cancelled
# 1.0 unhandled errors in a TaskGroup (1 sub-exception)
#   ExceptionGroup: unhandled errors in a TaskGroup (1 sub-exception)
#     RuntimeError: x broke
