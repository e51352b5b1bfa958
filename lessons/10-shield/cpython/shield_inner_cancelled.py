"""Cancelling the shielded task itself cancels the task that awaits it through the shield: it gets
a CancelledError without the inner task's message, and its own cancelling() stays 0.
(test_shield.cpp: "cancelling the shielded task itself cancels the awaiting task too")"""
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
    task.cancel("inner")
    tick = asyncio.create_task(ticker(4))
    try:
        await waiting
    except asyncio.CancelledError:
        print(at(f"caller cancelled() = {waiting.cancelled()}"))
    await tick


asyncio.run(main())

# expect 3.11:
# 1.0 work cancelled
# tick 0
# tick 1
# 1.0 caller cancelled: CancelledError(), cancelling() = 0
# tick 2
# 1.0 caller cancelled() = True
# tick 3
