"""asyncio.Event: set() wakes every waiter, oldest first, one loop iteration later (set() itself
resumes nobody); a waiter woken by set() returns even if clear() comes before it runs; a waiter
cancelled before set() leaves, and the others are still woken; wait() on a set event does not
suspend. (test_event.cpp)"""
import asyncio


async def ticker(count):
    for i in range(count):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def waiter(name, event):
    try:
        await event.wait()
        print(f"{name} woke, is_set() = {event.is_set()}")
    except asyncio.CancelledError:
        print(f"{name} cancelled")
        raise


async def main():
    event = asyncio.Event()
    tasks = [asyncio.create_task(waiter(name, event)) for name in "abc"]
    await asyncio.sleep(0)
    tasks[1].cancel()
    tick = asyncio.create_task(ticker(3))
    await asyncio.sleep(0)
    print("set, then clear")
    event.set()
    event.clear()
    print("set() returned")
    await tick
    await asyncio.gather(*tasks, return_exceptions=True)

    print("-- wait on a set event")
    event.set()
    tick = asyncio.create_task(ticker(2))
    await event.wait()
    print("wait() returned")
    await tick


asyncio.run(main())

# expect 3.11:
# b cancelled
# tick 0
# set, then clear
# set() returned
# tick 1
# a woke, is_set() = False
# c woke, is_set() = False
# tick 2
# -- wait on a set event
# wait() returned
# tick 0
# tick 1
