import asyncio


async def job():
    await asyncio.sleep(0.1)
    return "inner result"


async def main():
    inner = asyncio.create_task(job())
    outer = asyncio.shield(inner)
    outer.cancel()
    await asyncio.sleep(0)
    print("outer cancelled:", outer.cancelled())
    print("inner cancelled:", inner.cancelled(), "done:", inner.done())
    print(await inner)


asyncio.run(main())
