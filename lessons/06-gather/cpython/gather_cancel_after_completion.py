# A child fails and the gather completes (its outer future is done, the waiter's wake-up is
# queued); only then is the awaiting task cancelled. It is too late to cancel anything through the
# gather: the sibling that still runs is left alone, and the waiter itself gets CancelledError at
# its await.
# Shown for lesson 06's ex4 ("a cancel after the gather completed leaves the others alone").
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
        except asyncio.CancelledError:
            print(f"{loop.time():.1f} {name} cancelled")
            raise
        print(f"{loop.time():.1f} {name} ends")

    async def waiter_body():
        try:
            await asyncio.gather(fails("a", 1), cancellable("b", 2))
        except RuntimeError as error:
            print(f"{loop.time():.1f} waiter got {error}")
        except asyncio.CancelledError:
            print(f"{loop.time():.1f} waiter cancelled")

    waiter = asyncio.create_task(waiter_body())
    await asyncio.sleep(0)  # the waiter starts, and creates the children
    await asyncio.sleep(0)  # the children start their sleeps just before ours
    await asyncio.sleep(1)  # "a" has just failed, in this same iteration
    await asyncio.sleep(0)  # one more iteration: the gather has completed
    print(f"{loop.time():.1f} cancel {'accepted' if waiter.cancel() else 'refused'}")
    await waiter
    await asyncio.sleep(2)


asyncio.run(main())

# expect 3.11:
# 1.0 a fails
# 1.0 cancel accepted
# 1.0 waiter cancelled
# 2.0 b ends
