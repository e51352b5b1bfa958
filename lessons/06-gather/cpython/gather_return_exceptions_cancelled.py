# gather(..., return_exceptions=True) whose awaiting task is cancelled ends with CancelledError,
# so nobody sees the results; a child that had failed is still marked retrieved, and nothing
# reports it as never retrieved.
# Shown for lesson 06's ex4 ("with return_exceptions, a failure is retrieved even when cancelled").
import asyncio
import gc


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda loop, context: print(f"{loop.time():.1f} reported: {context['message']}"))

    async def fails(name, seconds):
        await asyncio.sleep(seconds)
        raise RuntimeError(name)

    async def waiter_body():
        await asyncio.gather(fails("early", 0.2), asyncio.sleep(5), return_exceptions=True)

    waiter = asyncio.create_task(waiter_body())
    await asyncio.sleep(0.5)
    waiter.cancel()
    try:
        await waiter
    except asyncio.CancelledError:
        print(f"{loop.time():.1f} waiter cancelled")
    del waiter
    gc.collect()
    await asyncio.sleep(1)
    print(f"{loop.time():.1f} main returns")


asyncio.run(main())

# expect 3.11:
# 0.5 waiter cancelled
# 1.5 main returns
