import asyncio


async def job(name, seconds):
    await asyncio.sleep(seconds)
    print("finished", name)
    return name


async def main():
    results = await asyncio.gather(job("slow", 0.3), job("fast", 0.1), job("middle", 0.2))
    print(results)


asyncio.run(main())
