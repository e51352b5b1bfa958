import asyncio


async def job(name, seconds):
    await asyncio.sleep(seconds)
    return name


async def main():
    tasks = [job("a", 0.3), job("b", 0.1), job("c", 0.2)]
    for next_result in asyncio.as_completed(tasks):
        print(await next_result)


asyncio.run(main())
