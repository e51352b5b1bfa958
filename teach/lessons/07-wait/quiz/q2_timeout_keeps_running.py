import asyncio


async def job():
    await asyncio.sleep(0.5)
    return "slow result"


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    task = asyncio.create_task(job())
    done, pending = await asyncio.wait([task], timeout=0.2)
    print(f"{loop.time() - start:.1f} done={len(done)} pending={len(pending)} cancelled={task.cancelled()}")
    result = await task
    print(f"{loop.time() - start:.1f} {result}")


asyncio.run(main())
