import asyncio


async def tick(name, delay, count):
    loop = asyncio.get_running_loop()
    for i in range(count):
        await asyncio.sleep(delay)
        print(f"{loop.time() - START:.1f} {name}{i}")


async def main():
    global START
    START = asyncio.get_running_loop().time()
    await asyncio.gather(tick("a", 0.3, 3), tick("b", 0.5, 2))


asyncio.run(main())
