"""A task cancelled while it awaits gather() passes its request on to every child with the same
message, or with none: cancel() gives the children and the task CancelledError() (args ()), and
cancel("") gives them CancelledError('') (args ('',)).
(test_gather.cpp: "a cancel message reaches every child and the waiter, or none does")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def child(name):
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError as error:
        print(at(f"{name} sees {error.args}"))
        raise


async def waiter():
    await asyncio.gather(child("a"), child("b"))


async def main():
    for name, how in [("cancel()", ()), ("cancel('')", ("",)), ("cancel('m')", ("m",))]:
        task = asyncio.create_task(waiter())
        await asyncio.sleep(1)
        print(at(name))
        task.cancel(*how)
        try:
            await task
        except asyncio.CancelledError as error:
            print(at(f"main sees {error.args}"))


asyncio.run(main())

# expect 3.11:
# 1.0 cancel()
# 1.0 a sees ()
# 1.0 b sees ()
# 1.0 main sees ()
# 2.0 cancel('')
# 2.0 a sees ('',)
# 2.0 b sees ('',)
# 2.0 main sees ('',)
# 3.0 cancel('m')
# 3.0 a sees ('m',)
# 3.0 b sees ('m',)
# 3.0 main sees ('m',)
