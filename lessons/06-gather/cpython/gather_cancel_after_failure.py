# A child fails, which settles the gather; in the same iteration, before the gather's done
# callback has run, the awaiting task is cancelled. The outer future is not done yet, so the
# cancel still reaches the child that runs; the failure, which came first, is what the waiter gets.
# Shown for lesson 06's ex4 ("a cancel after a failure cancels the others; the failure wins").
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    async def fails(name, seconds):
        await asyncio.sleep(seconds)
        print(f"{loop.time():.1f} {name} fails")
        raise RuntimeError(name)

    async def cancellable(name, seconds):
        try:
            await asyncio.sleep(seconds)
        except asyncio.CancelledError as error:
            print(f"{loop.time():.1f} {name} cancelled: {error.args[0] if error.args else ''}")
            raise

    async def waiter_body():
        try:
            await asyncio.gather(fails("a", 1), cancellable("b", 5))
        except RuntimeError as error:
            print(f"{loop.time():.1f} waiter got {error}")
        except asyncio.CancelledError:
            print(f"{loop.time():.1f} waiter cancelled")

    waiter = asyncio.create_task(waiter_body())
    await asyncio.sleep(0)  # the waiter starts, and creates the children
    await asyncio.sleep(0)  # the children start their sleeps just before ours
    await asyncio.sleep(1)  # "a" has just failed, in this same iteration
    print(f"{loop.time():.1f} cancel {'accepted' if waiter.cancel() else 'refused'}")
    await waiter


asyncio.run(main())

# expect 3.11:
# 1.0 a fails
# 1.0 cancel accepted
# 1.0 b cancelled: 
# 1.0 waiter got a
