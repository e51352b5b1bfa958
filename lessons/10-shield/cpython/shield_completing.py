"""The shielded task fails at 1.0 s; in the same loop iteration, before the shield's done callback
has run, the caller is cancelled. The caller gets its CancelledError, and the failure counts as
retrieved: the loop reports nothing ("Task exception was never retrieved" does not appear).
(test_shield.cpp: "a caller cancelled while the shield is completing ...")"""
import asyncio
import gc


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


def text(error):
    return f"CancelledError({error.args[0] if error.args else ''})"


async def fails():
    await asyncio.sleep(1)
    print(at("work fails"))
    raise RuntimeError("disk full")


async def caller(task):
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError as error:
        print(at(f"caller cancelled: {text(error)}, cancelling() = {asyncio.current_task().cancelling()}"))
        raise


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda loop, context: print(at(f"handler: {context['message']}")))
    task = asyncio.create_task(fails())
    waiting = asyncio.create_task(caller(task))
    del task
    await asyncio.sleep(0)
    await asyncio.sleep(1)  # due after the work's timer: the work has just finished
    print(at("cancel caller"))
    waiting.cancel("same time")
    try:
        await waiting
    except asyncio.CancelledError:
        print(at("caller cancelled"))
    del waiting
    gc.collect()  # a failed task nobody retrieved would be reported now
    await asyncio.sleep(1)
    print(at("end"))


asyncio.run(main())

# expect 3.11:
# 1.0 work fails
# 1.0 cancel caller
# 1.0 caller cancelled: CancelledError(same time), cancelling() = 1
# 1.0 caller cancelled
# 2.0 end
