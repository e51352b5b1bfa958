"""asyncio.Lock: waiters get the lock in the order they asked, each one loop iteration after the
release() that hands it on; an uncontended acquire() does not suspend; release() of a lock that
nobody holds raises RuntimeError('Lock is not acquired.'). (test_lock.cpp)"""
import asyncio


async def ticker(count):
    for i in range(count):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def worker(name, lock):
    print(f"{name} asks")
    async with lock:
        print(f"{name} holds it")
        await asyncio.sleep(0)
        print(f"{name} releases")


async def main():
    lock = asyncio.Lock()
    await lock.acquire()
    print(f"main holds it without waiting, locked() = {lock.locked()}")
    tasks = [asyncio.create_task(worker(name, lock)) for name in "abc"]
    await asyncio.sleep(0)
    tick = asyncio.create_task(ticker(8))
    print("main releases")
    lock.release()
    await asyncio.gather(*tasks)
    await tick
    print(f"locked() = {lock.locked()}")
    try:
        lock.release()
    except RuntimeError as error:
        print(f"release() raised RuntimeError: {error}")


asyncio.run(main())

# expect 3.11:
# main holds it without waiting, locked() = True
# a asks
# b asks
# c asks
# main releases
# tick 0
# a holds it
# tick 1
# a releases
# tick 2
# b holds it
# tick 3
# b releases
# tick 4
# c holds it
# tick 5
# c releases
# tick 6
# tick 7
# locked() = False
# release() raised RuntimeError: Lock is not acquired.
