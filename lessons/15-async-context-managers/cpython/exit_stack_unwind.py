"""contextlib.AsyncExitStack unwinds newest first, and tells each exit the error of the moment: an
exit that raises replaces the error (the older exits see the new one), an exit that returns True
clears it, and the stack's __aexit__ then reports the original error as swallowed. An exit's new
error that nobody clears leaves the stack. An exit that raises CancelledError is no different.
Last, what asyncio does when the task is cancelled while the stack unwinds: the exit that was
awaiting is cut short, and the older exits still run, each told CancelledError (aio shields the
whole unwind instead: every exit runs to its end, and the cancellation leaves after them).
(test_async_with.cpp: the l15.ex3 section)"""
import asyncio
import contextlib


def at(what):
    print(f"{asyncio.get_running_loop().time():.1f} {what}")


def describe(error):
    return "none" if error is None else f"{type(error).__name__}: {error}"


def exit_named(name, then="keep"):
    async def exit_(kind, error, traceback):
        at(f"{name} told {describe(error)}")
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            at(f"{name} interrupted")
            raise
        if then == "fail":
            raise OSError(f"{name} failed")
        if then == "cancelled":
            raise asyncio.CancelledError(f"{name} gave up")
        return then == "swallow"
    return exit_


async def scope(coro):
    try:
        await coro
    except BaseException as error:
        at(f"scope ended: {describe(error)}")
    else:
        at("scope ended normally")


async def unwind():
    async with contextlib.AsyncExitStack() as stack:
        stack.push_async_exit(exit_named("first"))
        stack.push_async_exit(exit_named("second", "swallow"))
        stack.push_async_exit(exit_named("third", "fail"))
        stack.push_async_exit(exit_named("fourth"))
        at("body fails")
        raise ValueError("body")


async def new_error():
    async with contextlib.AsyncExitStack() as stack:
        stack.push_async_exit(exit_named("first"))
        stack.push_async_exit(exit_named("second", "fail"))
        stack.push_async_exit(exit_named("third"))
        at("body returns")


async def cancelled_exit():
    async with contextlib.AsyncExitStack() as stack:
        stack.push_async_exit(exit_named("first"))
        stack.push_async_exit(exit_named("second", "cancelled"))
        at("body fails")
        raise ValueError("body")


async def cancelled_while_unwinding():
    async with contextlib.AsyncExitStack() as stack:
        stack.push_async_exit(exit_named("first"))
        stack.push_async_exit(exit_named("second"))
        stack.push_async_exit(exit_named("third"))
        at("body returns")


async def main():
    print("== newest first, the error of the moment")
    await scope(unwind())
    print("== an exit's new error leaves")
    await scope(new_error())
    print("== an exit raises CancelledError")
    await scope(cancelled_exit())
    print("== the task is cancelled while the stack unwinds")
    task = asyncio.create_task(cancelled_while_unwinding())
    await asyncio.sleep(1.5)
    at("cancel")
    task.cancel("now")
    await scope(task)


asyncio.run(main())

# expect 3.11:
# == newest first, the error of the moment
# 0.0 body fails
# 0.0 fourth told ValueError: body
# 1.0 third told ValueError: body
# 2.0 second told OSError: third failed
# 3.0 first told none
# 4.0 scope ended normally
# == an exit's new error leaves
# 4.0 body returns
# 4.0 third told none
# 5.0 second told none
# 6.0 first told OSError: second failed
# 7.0 scope ended: OSError: second failed
# == an exit raises CancelledError
# 7.0 body fails
# 7.0 second told ValueError: body
# 8.0 first told CancelledError: second gave up
# 9.0 scope ended: CancelledError: second gave up
# == the task is cancelled while the stack unwinds
# 9.0 body returns
# 9.0 third told none
# 10.0 second told none
# 10.5 cancel
# 10.5 second interrupted
# 10.5 first told CancelledError: now
# 11.5 scope ended: CancelledError: now
