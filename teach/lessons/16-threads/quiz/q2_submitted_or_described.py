import asyncio
from concurrent.futures import ThreadPoolExecutor


async def main():
    loop = asyncio.get_running_loop()
    ran = []
    with ThreadPoolExecutor(max_workers=1) as pool:  # one worker: jobs run in order
        submitted = loop.run_in_executor(pool, ran.append, "A")
        described = asyncio.to_thread(ran.append, "B")
        print(type(submitted).__name__, type(described).__name__)
        await loop.run_in_executor(pool, ran.append, "C")
        print("ran:", ran)
        described.close()  # never awaited
    print("after the pool shut down:", ran)


asyncio.run(main())
