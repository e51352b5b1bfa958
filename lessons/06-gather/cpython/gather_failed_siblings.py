# Two tasks fail before anyone gathers them. The gather raises the first failure, and the second
# is marked retrieved too: nothing reports "Task exception was never retrieved".
# Shown for lesson 06's ex2 ("a sibling that had already failed is not reported").
import asyncio
import gc


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda loop, context: print(f"{loop.time():.1f} reported: {context['message']}"))

    async def fails(name, seconds):
        await asyncio.sleep(seconds)
        raise RuntimeError(name)

    tasks = [asyncio.create_task(fails("first", 1)), asyncio.create_task(fails("second", 2))]
    await asyncio.sleep(3)
    try:
        await asyncio.gather(*tasks)
    except RuntimeError as error:
        print(f"{loop.time():.1f} caught {error}")
    del tasks
    gc.collect()
    await asyncio.sleep(1)
    print(f"{loop.time():.1f} main returns")


asyncio.run(main())

# expect 3.11:
# 3.0 caught first
# 4.0 main returns
