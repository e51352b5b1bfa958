import asyncio


def now():
    return f"{asyncio.get_running_loop().time() - START:.1f}"


async def ticks(count):
    print(now(), "generator starts")
    for i in range(count):
        await asyncio.sleep(0.1)
        yield i
    print(now(), "generator ends")


async def main():
    global START
    START = asyncio.get_running_loop().time()
    stream = ticks(2)
    print(now(), "generator created")
    async for value in stream:
        print(now(), "got", value)


asyncio.run(main())
