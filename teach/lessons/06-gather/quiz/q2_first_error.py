import asyncio


async def fails():
    await asyncio.sleep(0.1)
    raise ValueError("boom")


async def slow():
    await asyncio.sleep(0.3)
    print(f"{asyncio.get_running_loop().time() - START:.1f} slow finished anyway")
    return 1


async def main():
    global START
    START = asyncio.get_running_loop().time()
    try:
        await asyncio.gather(slow(), fails())
    except ValueError as error:
        print(f"{asyncio.get_running_loop().time() - START:.1f} caught {error}")
    await asyncio.sleep(0.5)
    print("main ends")


asyncio.run(main())
