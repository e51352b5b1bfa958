"""asyncio.Condition: a task cancelled inside wait() takes the lock back before CancelledError
leaves wait(), waiting for it as long as another task holds it, and through further
cancellations too. Which CancelledError leaves: the one that interrupted the wait if nothing
interrupted the re-acquiring; otherwise 3.11 and 3.12 raise a new CancelledError without a
message, and 3.13 the latest one. (test_condition.cpp)"""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def waiter(cond):
    async with cond:
        try:
            await cond.wait()
        except asyncio.CancelledError as error:
            print(f"{elapsed()} waiter: CancelledError{error.args}, holds the lock: {cond.locked()}")
            raise


async def main():
    cond = asyncio.Condition()
    task = asyncio.create_task(waiter(cond))
    await asyncio.sleep(0)
    async with cond:
        task.cancel("first")
        print(f"{elapsed()} main: cancelled the waiter, holds the lock for 1 s")
        await asyncio.sleep(1)
        print(f"{elapsed()} main: releases")
    await asyncio.gather(task, return_exceptions=True)

    print("-- cancelled again while it waits for the lock")
    task = asyncio.create_task(waiter(cond))
    await asyncio.sleep(0)
    async with cond:
        task.cancel("first")
        await asyncio.sleep(1)
        task.cancel("second")
        print(f"{elapsed()} main: cancelled it twice, releases")
    await asyncio.gather(task, return_exceptions=True)
    print(f"{elapsed()} main: cancelled() = {task.cancelled()}, locked() = {cond.locked()}")


asyncio.run(main())

# expect 3.11:
# 0.0 main: cancelled the waiter, holds the lock for 1 s
# 1.0 main: releases
# 1.0 waiter: CancelledError('first',), holds the lock: True
# -- cancelled again while it waits for the lock
# 2.0 main: cancelled it twice, releases
# 2.0 waiter: CancelledError(), holds the lock: True
# 2.0 main: cancelled() = True, locked() = False
# expect 3.13:
# 0.0 main: cancelled the waiter, holds the lock for 1 s
# 1.0 main: releases
# 1.0 waiter: CancelledError('first',), holds the lock: True
# -- cancelled again while it waits for the lock
# 2.0 main: cancelled it twice, releases
# 2.0 waiter: CancelledError('second',), holds the lock: True
# 2.0 main: cancelled() = True, locked() = False
