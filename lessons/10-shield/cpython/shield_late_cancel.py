"""A cancel that comes after the shield has resolved (the caller is woken but has not run yet)
cannot be withdrawn any more: the caller still gets CancelledError, at its next step, and the
result stays in the shielded task.
(test_shield.cpp: "a cancel that comes after the shield woke the caller ...")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


def text(error):
    return f"CancelledError({error.args[0] if error.args else ''})"


async def quick():
    await asyncio.sleep(1)
    print(at("work returns"))
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
    task = asyncio.create_task(quick())
    waiting = asyncio.create_task(caller(task))
    await asyncio.sleep(0)
    await asyncio.sleep(1)  # the work ends in this iteration
    await asyncio.sleep(0)  # the shield wakes the caller in this one
    print(at("cancel caller"))
    print(f"cancel() returns {waiting.cancel('late')}")
    try:
        await waiting
    except asyncio.CancelledError:
        print(at(f"caller cancelled() = {waiting.cancelled()}, work result {task.result()}"))


asyncio.run(main())

# expect 3.11:
# 1.0 work returns
# 1.0 cancel caller
# cancel() returns True
# 1.0 caller cancelled: CancelledError(late), cancelling() = 1
# 1.0 caller cancelled() = True, work result saved
