import asyncio


def now():
    return f"{asyncio.get_running_loop().time() - START:.1f}"


async def job(name, seconds, fail=False):
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        print(now(), name, "cancelled")
        raise
    if fail:
        raise ValueError(name)
    print(now(), name, "done")


async def main():
    global START
    START = asyncio.get_running_loop().time()
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(job("a", 0.1))
            group.create_task(job("b", 0.2, fail=True))
            group.create_task(job("c", 0.3))
    except* ValueError as errors:
        print(now(), "caught", [str(e) for e in errors.exceptions])


asyncio.run(main())
