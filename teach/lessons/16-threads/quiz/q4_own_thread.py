import asyncio


async def answer():
    return 42


async def main():
    loop = asyncio.get_running_loop()
    future = asyncio.run_coroutine_threadsafe(answer(), loop)
    try:
        future.result(timeout=0.2)  # on the loop's own thread
    except TimeoutError as error:
        print(type(error).__name__, "after 0.2 s; done:", future.done())
    turns = 0
    while not future.done():
        await asyncio.sleep(0)
        turns += 1
    print("done after", turns, "turns:", future.result())


asyncio.run(main())
