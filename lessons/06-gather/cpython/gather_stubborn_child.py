# The task that awaits gather(..., return_exceptions=True) is cancelled; one child catches its
# CancelledError and carries on. The gather waits for it, then still raises CancelledError.
# Shown for lesson 06's ex4 ("a child that ignores the cancel is still waited for").
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    async def stubborn():
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            print(f"{loop.time():.1f} stubborn ignores the cancellation")
        await asyncio.sleep(1)
        print(f"{loop.time():.1f} stubborn ends")
        return 1

    async def waiter_body():
        try:
            await asyncio.gather(stubborn(), return_exceptions=True)
            print(f"{loop.time():.1f} gathered")
        except asyncio.CancelledError:
            print(f"{loop.time():.1f} waiter cancelled")

    task = asyncio.create_task(waiter_body())
    await asyncio.sleep(0.5)
    task.cancel()
    await task


asyncio.run(main())

# expect 3.11:
# 0.5 stubborn ignores the cancellation
# 1.5 stubborn ends
# 1.5 waiter cancelled
