"""asyncio.Lock: a waiter cancelled while it waits leaves the queue; a waiter cancelled after
release() woke it (too late to leave) raises CancelledError, but first hands the lock on to the
next waiter, in the same step. (test_lock.cpp)"""
import asyncio


async def worker(name, lock):
    try:
        async with lock:
            print(f"{elapsed()} {name} holds it")
            await asyncio.sleep(1)
            print(f"{elapsed()} {name} releases")
    except asyncio.CancelledError:
        print(f"{elapsed()} {name} cancelled")
        raise


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def main():
    lock = asyncio.Lock()
    await lock.acquire()
    tasks = {name: asyncio.create_task(worker(name, lock)) for name in "abcd"}
    await asyncio.sleep(0)
    print("cancel b while it waits")
    tasks["b"].cancel()
    await asyncio.sleep(0)
    print("release, then cancel a, which was just handed the lock")
    lock.release()
    tasks["a"].cancel()
    await asyncio.gather(*tasks.values(), return_exceptions=True)
    print(f"{elapsed()} all done, locked() = {lock.locked()}")


asyncio.run(main())

# expect 3.11:
# cancel b while it waits
# 0.0 b cancelled
# release, then cancel a, which was just handed the lock
# 0.0 a cancelled
# 0.0 c holds it
# 1.0 c releases
# 1.0 d holds it
# 2.0 d releases
# 2.0 all done, locked() = False
