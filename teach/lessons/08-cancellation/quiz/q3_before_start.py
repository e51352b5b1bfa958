import asyncio


async def body():
    print("body runs")


async def main():
    task = asyncio.create_task(body())
    task.cancel()
    task.cancel()
    print("cancelling():", task.cancelling())
    try:
        await task
    except asyncio.CancelledError:
        print("CancelledError; cancelled():", task.cancelled())


asyncio.run(main())
