import asyncio


def now():
    return f"{asyncio.get_running_loop().time() - START:.1f}"


async def user(lock, name):
    async with lock:
        print(now(), name, "has the lock")
        await asyncio.sleep(0.1)


async def main():
    global START
    START = asyncio.get_running_loop().time()
    lock = asyncio.Lock()
    await asyncio.gather(user(lock, "a"), user(lock, "b"), user(lock, "c"))


asyncio.run(main())
