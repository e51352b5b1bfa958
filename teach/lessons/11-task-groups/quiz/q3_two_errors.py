import asyncio


async def fails_soon():
    await asyncio.sleep(0.1)
    raise ValueError("first")


async def fails_when_cancelled():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        raise RuntimeError("cleanup failed")


async def main():
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(fails_soon())
            group.create_task(fails_when_cancelled())
    except* ValueError as errors:
        print("ValueError part:", [str(e) for e in errors.exceptions])
    except* RuntimeError as errors:
        print("RuntimeError part:", [str(e) for e in errors.exceptions])


asyncio.run(main())
