import asyncio


class Pool:
    """A pool of two connections, as a semaphore: each query holds one for 0.1 s."""

    def __init__(self, size):
        self.permits = asyncio.Semaphore(size)

    async def fetch(self, name):
        async with self.permits:
            loop = asyncio.get_running_loop()
            print(f"{loop.time():.1f} {name} starts")
            await asyncio.sleep(0.1)
            return name


async def main():
    pool = Pool(2)
    results = await asyncio.gather(*(pool.fetch(f"q{i}") for i in range(5)))
    print(f"{asyncio.get_running_loop().time():.1f} done: {results}")


asyncio.run(main())
