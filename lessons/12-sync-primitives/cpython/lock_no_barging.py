"""asyncio.Lock is FIFO even for a task that asks again right after its own release(), before
the woken waiter has run: it queues behind that waiter. CPython 3.11 (and 3.12, 3.13) get there
by keeping the woken waiter's future in `_waiters`: release() itself unlocks, so locked() says
False in that window; aio hands the lock to the woken waiter inside release(), so its locked()
says True there. Who holds the lock, and when, is the same. (test_lock.cpp: "a task that asks
again right after its release waits behind the woken waiter")"""
import asyncio


async def worker(name, lock):
    print(f"{name} asks")
    async with lock:
        print(f"{name} holds it")
        await asyncio.sleep(0)
    print(f"{name} released it")


async def main():
    lock = asyncio.Lock()
    await lock.acquire()
    other = asyncio.create_task(worker("a", lock))
    await asyncio.sleep(0)
    lock.release()
    print(f"main released it, locked() = {lock.locked()}")
    async with lock:
        print("main holds it again")
    await other


asyncio.run(main())

# expect 3.11:
# a asks
# main released it, locked() = False
# a holds it
# a released it
# main holds it again
