import asyncio


def now():
    return f"{asyncio.get_running_loop().time() - START:.1f}"


async def main():
    global START
    START = asyncio.get_running_loop().time()
    try:
        async with asyncio.timeout(0.2):
            await asyncio.sleep(0.1)
            print(now(), "first sleep done")
            await asyncio.sleep(0.5)
            print(now(), "second sleep done")
    except TimeoutError:
        print(now(), "TimeoutError")
    print("asyncio.TimeoutError is TimeoutError:", asyncio.TimeoutError is TimeoutError)


asyncio.run(main())
