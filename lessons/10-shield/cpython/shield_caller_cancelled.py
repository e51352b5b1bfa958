"""Cancelling the task that awaits through a shield: it gets CancelledError (with its message) in
the next loop iteration, while the shielded task runs on, is never cancelled, and keeps its result
for whoever awaits it later.
(test_shield.cpp: "cancelling the awaiting task: it gets CancelledError at once ...")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


def text(error):
    return f"CancelledError({error.args[0] if error.args else ''})"


async def ticker(count):
    for i in range(count):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def work(delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(at("work cancelled"))
        raise
    print(at("work done"))
    return "saved"


async def caller(task):
    try:
        result = await asyncio.shield(task)
        print(at(f"caller got {result}"))
        return result
    except asyncio.CancelledError as error:
        print(at(f"caller cancelled: {text(error)}, cancelling() = {asyncio.current_task().cancelling()}"))
        raise


async def main():
    task = asyncio.create_task(work(2))
    waiting = asyncio.create_task(caller(task))
    await asyncio.sleep(1)
    waiting.cancel("client left")
    tick = asyncio.create_task(ticker(3))
    try:
        await waiting
    except asyncio.CancelledError:
        print(at(f"main: caller cancelled() = {waiting.cancelled()}, work done() = {task.done()}, "
                 f"work cancelling() = {task.cancelling()}"))
    result = await task
    print(at(f"main: work returned {result}"))
    await tick


asyncio.run(main())

# expect 3.11:
# 1.0 caller cancelled: CancelledError(client left), cancelling() = 1
# tick 0
# 1.0 main: caller cancelled() = True, work done() = False, work cancelling() = 0
# tick 1
# tick 2
# 2.0 work done
# 2.0 main: work returned saved
