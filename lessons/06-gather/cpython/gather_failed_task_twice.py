# A task that fails, passed to gather twice: the gather raises its exception once.
# Shown for lesson 06's ex2 ("a failed task passed twice settles the gather once").
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    async def fails():
        await asyncio.sleep(1)
        raise RuntimeError("boom")

    task = asyncio.create_task(fails())
    try:
        await asyncio.gather(task, task)
        print("no exception")
    except RuntimeError as error:
        print(f"{loop.time():.1f} caught {error}")
    await asyncio.sleep(1)
    print(f"{loop.time():.1f} main returns")


asyncio.run(main())

# expect 3.11:
# 1.0 caught boom
# 2.0 main returns
