import asyncio


async def ok(value):
    await asyncio.sleep(0.1)
    return value


async def fails():
    await asyncio.sleep(0.2)
    raise ValueError("boom")


async def main():
    results = await asyncio.gather(ok(1), fails(), ok(3), return_exceptions=True)
    print(results)
    print([type(r).__name__ for r in results])


asyncio.run(main())
