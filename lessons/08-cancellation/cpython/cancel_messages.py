"""Which message a CancelledError carries when cancel() is called twice. A task that has not run
yet gets the latest message; a sleeping task gets the first one (the sleep's future was cancelled
with it, and the second request finds that future done already).
(test_cancellation.cpp: "while a task has not run, the latest cancel() message ..." and
"cancel() twice on a sleeping task: one error, with the first message")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


def text(error):
    return f"CancelledError({error.args[0] if error.args else ''})"


async def answer():
    print("answer runs")
    return 42


async def sleeper():
    print(at("job starts"))
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError as error:
        print(at(f"job cancelled: {error.args[0] if error.args else ''}"))
        raise


async def main():
    task = asyncio.create_task(answer())
    task.cancel("first")
    task.cancel("second")
    try:
        await task
    except asyncio.CancelledError as error:
        print(f"not started: {text(error)}")

    job = asyncio.create_task(sleeper())
    await asyncio.sleep(1)
    print(f"cancel: {job.cancel('one')}, {job.cancel('two')}, cancelling() = {job.cancelling()}")
    try:
        await job
    except asyncio.CancelledError as error:
        print(at(f"main: {text(error)}"))


asyncio.run(main())

# expect 3.11:
# not started: CancelledError(second)
# 0.0 job starts
# cancel: True, True, cancelling() = 2
# 1.0 job cancelled: one
# 1.0 main: CancelledError(one)
