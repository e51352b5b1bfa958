"""After a child fails, how many loop iterations pass before the ExceptionGroup leaves the scope:
one for the group's done callback (which cancels the others and the body), one for the cancelled
tasks to run, one for the last one's done callback, one for the scope's wake-up. A ticker task
shows the iterations. Two children cancelled in the same iteration print the same line, since
asyncio cancels them in the order of a set.
(test_task_group.cpp: "after a failure the scope ends as many loop iterations later ...")"""
import asyncio


async def ticker(ticks):
    for i in range(ticks):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def sleeps_untimed():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:
        print("a sleeper cancelled")
        raise


async def yields_then_fails(yields):
    for _ in range(yields):
        await asyncio.sleep(0)
    print("fails")
    raise RuntimeError("x")


async def scope(body_waits):
    ticks = asyncio.create_task(ticker(8))
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(sleeps_untimed())
            group.create_task(yields_then_fails(1 if body_waits else 2))
            if body_waits:
                group.create_task(sleeps_untimed())
                try:
                    await asyncio.sleep(10)
                except asyncio.CancelledError:
                    print("body cancelled")
                    raise
            else:
                print("body ends")
    except* RuntimeError:
        print("scope ended with the ExceptionGroup")
    await ticks


async def main():
    print("== the body waits")
    await scope(body_waits=True)
    print("== the body has ended")
    await scope(body_waits=False)


asyncio.run(main())

# expect 3.11:
# == the body waits
# tick 0
# tick 1
# fails
# tick 2
# tick 3
# a sleeper cancelled
# a sleeper cancelled
# body cancelled
# tick 4
# tick 5
# scope ended with the ExceptionGroup
# tick 6
# tick 7
# == the body has ended
# body ends
# tick 0
# tick 1
# tick 2
# fails
# tick 3
# tick 4
# a sleeper cancelled
# tick 5
# tick 6
# scope ended with the ExceptionGroup
# tick 7
