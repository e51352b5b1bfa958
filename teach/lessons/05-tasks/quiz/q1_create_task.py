import asyncio


async def child():
    print("child runs")
    return 42


async def main():
    task = asyncio.create_task(child())
    print("task created, done:", task.done())
    await asyncio.sleep(0)
    print("after one yield, done:", task.done())
    print("result:", await task)


asyncio.run(main())
