"""asyncio.Semaphore: a task that asks for a permit while a woken waiter has not run yet. Two
release()s in one step with one waiter: the first hands the waiter a permit, the second finds
nobody left to hand to, so a permit is free. CPython 3.11, 3.12 and 3.13 still make the newcomer
(here main itself) wait: locked() is True while the woken waiter's future is in `_waiters`, and
the newcomer gets the free permit when the woken waiter has run, two iterations later. aio gives
the newcomer the free permit at once, without suspending ("main in" comes before "tick 0"), and
its locked() says False: the woken waiter holds its own permit already, so nobody is overtaken.
(test_semaphore.cpp: "a newcomer takes a free permit at once, though a woken waiter has not run")"""
import asyncio


async def ticker(count):
    for i in range(count):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def worker(name, sem):
    print(f"{name} asks, locked() = {sem.locked()}")
    async with sem:
        print(f"{name} in")
        await asyncio.sleep(0)


async def main():
    sem = asyncio.Semaphore(0)
    first = asyncio.create_task(worker("a", sem))
    await asyncio.sleep(0)
    tick = asyncio.create_task(ticker(3))
    sem.release()
    sem.release()
    print(f"main released twice, locked() = {sem.locked()}")
    async with sem:
        print("main in")
    await asyncio.gather(first, tick)


asyncio.run(main())

# expect 3.11:
# a asks, locked() = True
# main released twice, locked() = True
# tick 0
# a in
# tick 1
# main in
# tick 2
