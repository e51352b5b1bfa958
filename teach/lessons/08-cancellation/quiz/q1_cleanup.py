import asyncio


async def worker():
    try:
        print("working")
        await asyncio.sleep(1)
        print("finished the work")
    except asyncio.CancelledError:
        print("cleaning up")
        raise
    finally:
        print("finally")


async def main():
    task = asyncio.create_task(worker())
    await asyncio.sleep(0.1)
    print("cancel() returns", task.cancel())
    try:
        await task
    except asyncio.CancelledError:
        print("main sees CancelledError")
    print("cancelled():", task.cancelled())
    print("cancel() again returns", task.cancel())


asyncio.run(main())
