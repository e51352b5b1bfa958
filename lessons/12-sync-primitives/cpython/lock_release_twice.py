"""asyncio.Lock: a task that releases the lock twice in a row, while a woken waiter has not run
yet. CPython's release() cleared the flag, so the second release() raises
RuntimeError('Lock is not acquired.'). aio handed the lock to the waiter inside the first
release(), so the lock is locked (for the waiter) and aio cannot tell the mistake from a task
releasing the lock on the waiter's behalf: the second release() gives the lock to the next
waiter, or unlocks it, while the woken waiter goes on as if it held it. The chapter lists this
under "Pitfalls" (mixing the guard with a manual release())."""
import asyncio


async def worker(lock):
    async with lock:
        print("a holds it")


async def main():
    lock = asyncio.Lock()
    await lock.acquire()
    task = asyncio.create_task(worker(lock))
    await asyncio.sleep(0)
    lock.release()
    try:
        lock.release()
    except RuntimeError as error:
        print(f"the second release() raised RuntimeError: {error}")
    await task


asyncio.run(main())

# expect 3.11:
# the second release() raised RuntimeError: Lock is not acquired.
# a holds it
