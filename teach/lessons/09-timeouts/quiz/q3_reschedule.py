import asyncio


def now():
    return f"{asyncio.get_running_loop().time() - START:.1f}"


async def main():
    global START
    loop = asyncio.get_running_loop()
    START = loop.time()
    try:
        async with asyncio.timeout(0.2) as scope:
            await asyncio.sleep(0.1)
            scope.reschedule(loop.time() + 0.5)
            await asyncio.sleep(0.3)
            print(now(), "still inside")
            await asyncio.sleep(1)
    except TimeoutError:
        print(now(), "TimeoutError, expired():", scope.expired())


asyncio.run(main())
