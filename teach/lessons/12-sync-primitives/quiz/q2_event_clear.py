import asyncio


async def waiter(event, number):
    await event.wait()
    print("waiter", number, "woke")


async def main():
    event = asyncio.Event()
    tasks = [asyncio.create_task(waiter(event, n)) for n in range(3)]
    await asyncio.sleep(0.1)
    event.set()
    event.clear()
    print("set, then cleared")
    await asyncio.gather(*tasks)
    print("is_set():", event.is_set())


asyncio.run(main())
