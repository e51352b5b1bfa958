import asyncio


async def stubborn():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print("swallowed it")
    return "finished anyway"


async def main():
    task = asyncio.create_task(stubborn())
    await asyncio.sleep(0.1)
    task.cancel()
    print(await task)
    print("cancelled():", task.cancelled(), "cancelling():", task.cancelling())


asyncio.run(main())
