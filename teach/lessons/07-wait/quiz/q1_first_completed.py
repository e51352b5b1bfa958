import asyncio


async def job(name, seconds):
    await asyncio.sleep(seconds)
    return name


async def main():
    tasks = [asyncio.create_task(job(n, s)) for n, s in [("a", 0.3), ("b", 0.1), ("c", 0.2)]]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print("done:", [t.result() for t in done], "pending:", len(pending))
    for task in pending:
        task.cancel()
    await asyncio.wait(pending)
    print("cancelled:", [t.cancelled() for t in tasks])


asyncio.run(main())
