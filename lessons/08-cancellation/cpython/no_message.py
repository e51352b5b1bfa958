"""cancel() and cancel("") are two different requests: CancelledError().args is (), while
CancelledError("").args is ('',). The task itself and whoever awaits it see the same args, also
when the task is cancelled before its first step. Of two cancel() calls on a sleeping task the
first one's message wins, even when the first one had none; a task that has not run yet takes the
latest.
(test_cancellation.cpp: "cancel() and cancel(\"\") are two different requests" and "before its
first step, cancel() and cancel(\"\") stay apart")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def job(name):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError as error:
        print(at(f"{name} sees {error.args}"))
        raise


async def answer():
    return 42


async def main():
    for name, how in [("cancel()", ()), ("cancel('')", ("",)), ("cancel('why')", ("why",))]:
        task = asyncio.create_task(job(name))
        await asyncio.sleep(1)
        task.cancel(*how)
        try:
            await task
        except asyncio.CancelledError as error:
            print(at(f"main sees {error.args}"))

    for how in [(), ("",)]:
        task = asyncio.create_task(answer())
        task.cancel(*how)
        try:
            await task
        except asyncio.CancelledError as error:
            print(f"not started, cancel{how}: {error.args}")

    task = asyncio.create_task(job("sleeper"))
    await asyncio.sleep(1)
    task.cancel()
    task.cancel("second")
    try:
        await task
    except asyncio.CancelledError as error:
        print(at(f"cancel() then cancel('second'): {error.args}"))

    task = asyncio.create_task(answer())
    task.cancel("first")
    task.cancel()
    try:
        await task
    except asyncio.CancelledError as error:
        print(f"not started, cancel('first') then cancel(): {error.args}")


asyncio.run(main())

# expect 3.11:
# 1.0 cancel() sees ()
# 1.0 main sees ()
# 2.0 cancel('') sees ('',)
# 2.0 main sees ('',)
# 3.0 cancel('why') sees ('why',)
# 3.0 main sees ('why',)
# not started, cancel(): ()
# not started, cancel('',): ('',)
# 4.0 sleeper sees ()
# 4.0 cancel() then cancel('second'): ()
# not started, cancel('first') then cancel(): ()
