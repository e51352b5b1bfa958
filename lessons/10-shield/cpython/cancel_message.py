"""A task cancelled while it awaits shield(inner) gets its own message, or none; the inner task
is not cancelled and finishes.
(test_shield.cpp: "a cancel message stops at the shield, with the caller")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def inner(name):
    await asyncio.sleep(1)
    print(at(f"{name} finished"))


async def caller(name):
    try:
        await asyncio.shield(asyncio.create_task(inner(name)))
    except asyncio.CancelledError as error:
        print(at(f"caller sees {error.args}"))
        raise


async def main():
    for name, how in [("cancel()", ()), ("cancel('')", ("",)), ("cancel('m')", ("m",))]:
        task = asyncio.create_task(caller(f"inner of {name}"))
        await asyncio.sleep(0.5)
        task.cancel(*how)
        try:
            await task
        except asyncio.CancelledError as error:
            print(at(f"main sees {error.args}"))
        await asyncio.sleep(1)


asyncio.run(main())

# expect 3.11:
# 0.5 caller sees ()
# 0.5 main sees ()
# 1.0 inner of cancel() finished
# 2.0 caller sees ('',)
# 2.0 main sees ('',)
# 2.5 inner of cancel('') finished
# 3.5 caller sees ('m',)
# 3.5 main sees ('m',)
# 4.0 inner of cancel('m') finished
