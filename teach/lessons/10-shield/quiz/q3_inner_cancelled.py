import asyncio


async def caller(inner):
    try:
        await asyncio.shield(inner)
    except asyncio.CancelledError:
        print("caller: CancelledError")
        raise


async def main():
    inner = asyncio.create_task(asyncio.sleep(1))
    outer_task = asyncio.create_task(caller(inner))
    await asyncio.sleep(0.1)
    inner.cancel()
    await asyncio.wait([outer_task])
    print("inner cancelled:", inner.cancelled())
    print("caller cancelled:", outer_task.cancelled())


asyncio.run(main())
