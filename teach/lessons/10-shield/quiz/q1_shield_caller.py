import asyncio


def now():
    return f"{asyncio.get_running_loop().time() - START:.1f}"


async def write():
    await asyncio.sleep(0.3)
    print(now(), "write committed")
    return "ok"


async def handler(inner):
    return await asyncio.shield(inner)


async def main():
    global START
    START = asyncio.get_running_loop().time()
    inner = asyncio.create_task(write())
    caller = asyncio.create_task(handler(inner))
    await asyncio.sleep(0.1)
    caller.cancel()
    try:
        await caller
    except asyncio.CancelledError:
        print(now(), "handler cancelled")
    result = await inner
    print(now(), "inner returned", result)


asyncio.run(main())
