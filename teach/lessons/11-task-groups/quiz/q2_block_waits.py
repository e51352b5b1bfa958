import asyncio


def now():
    return f"{asyncio.get_running_loop().time() - START:.1f}"


async def job(name, seconds):
    await asyncio.sleep(seconds)
    print(now(), name, "done")


async def main():
    global START
    START = asyncio.get_running_loop().time()
    async with asyncio.TaskGroup() as group:
        group.create_task(job("x", 0.3))
        group.create_task(job("y", 0.1))
        print(now(), "the body ends")
    print(now(), "after the block")


asyncio.run(main())
