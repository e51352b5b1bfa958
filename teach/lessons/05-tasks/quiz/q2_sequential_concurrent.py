import asyncio


async def job(seconds):
    await asyncio.sleep(seconds)


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    await job(1)
    await job(2)
    print(f"awaited one after the other: {loop.time() - start:.1f} s")

    start = loop.time()
    first = asyncio.create_task(job(1))
    second = asyncio.create_task(job(2))
    await first
    await second
    print(f"as two tasks: {loop.time() - start:.1f} s")


asyncio.run(main())
