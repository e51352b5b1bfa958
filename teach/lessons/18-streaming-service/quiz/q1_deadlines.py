import asyncio


async def call(name, seconds):
    await asyncio.sleep(seconds)
    return name


async def main():
    loop = asyncio.get_running_loop()
    each = await asyncio.gather(
        asyncio.wait_for(call("fast", 0.2), 1),
        asyncio.wait_for(call("slow", 5), 1),
        return_exceptions=True)
    print(f"{loop.time():.1f}", [type(x).__name__ if isinstance(x, BaseException) else x for x in each])
    try:
        both = await asyncio.wait_for(asyncio.gather(call("fast", 0.2), call("slow", 5)), 1)
        print(both)
    except TimeoutError:
        print(f"{loop.time():.1f}", "TimeoutError: the fast answer is lost too")


asyncio.run(main())
