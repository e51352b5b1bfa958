import asyncio


def now():
    return f"{asyncio.get_running_loop().time() - START:.1f}"


async def job(limit, number):
    async with limit:
        print(now(), "start", number)
        await asyncio.sleep(0.1 * (number + 1))


async def main():
    global START
    START = asyncio.get_running_loop().time()
    limit = asyncio.Semaphore(2)
    await asyncio.gather(*(job(limit, n) for n in range(4)))
    print(now(), "all done")


asyncio.run(main())
