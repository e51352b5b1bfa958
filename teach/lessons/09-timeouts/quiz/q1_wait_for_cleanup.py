import asyncio


def now():
    return f"{asyncio.get_running_loop().time() - START:.1f}"


async def slow():
    try:
        await asyncio.sleep(1)
    except asyncio.CancelledError:
        print(now(), "slow: cleaning up")
        await asyncio.sleep(0.5)
        print(now(), "slow: clean")
        raise


async def main():
    global START
    START = asyncio.get_running_loop().time()
    try:
        await asyncio.wait_for(slow(), timeout=0.3)
    except TimeoutError:
        print(now(), "main: timed out")


asyncio.run(main())
