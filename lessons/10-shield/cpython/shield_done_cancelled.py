"""asyncio.shield of a task that has already been cancelled returns the task itself: awaiting it
raises the task's own CancelledError, with its message (a shield that had to wait would raise a
new CancelledError() without one).
(test_shield.cpp: "shield of a task cancelled already gives its own CancelledError")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


def text(error):
    return f"CancelledError({error.args[0] if error.args else ''})"


async def work(delay):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(at("work cancelled"))
        raise
    return "saved"


async def main():
    task = asyncio.create_task(work(1))
    await asyncio.sleep(0)
    task.cancel("inner")
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    print(f"done() = {task.done()}")
    try:
        await asyncio.shield(task)
    except asyncio.CancelledError as error:
        print(f"shield raised {text(error)}")


asyncio.run(main())

# expect 3.11:
# 0.0 work cancelled
# done() = True
# shield raised CancelledError(inner)
