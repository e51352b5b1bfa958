# A task awaits another task, which finishes; before the waiter's next step runs, someone cancels
# the waiter. The awaited task is done and cannot take the request, so the waiter gets
# CancelledError at its await anyway: the cancel is not lost.
# Shown for lesson 05's ex4 ("a cancel that comes after the awaited task ended is not lost").
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    async def target_body():
        await asyncio.sleep(1)
        print(f"{loop.time():.1f} target returns 7")
        return 7

    async def waiter_body(target):
        try:
            value = await target
            print(f"{loop.time():.1f} waiter got {value}")
        except asyncio.CancelledError:
            print(f"{loop.time():.1f} waiter got CancelledError")
            raise

    target = asyncio.create_task(target_body())
    waiter = asyncio.create_task(waiter_body(target))
    await asyncio.sleep(0)  # the target starts its 1 s sleep before ours
    await asyncio.sleep(1)  # wakes in the same iteration as the target, right after it
    print(f"{loop.time():.1f} target done {target.done()}; cancel the waiter: {waiter.cancel()}")
    await asyncio.sleep(0)
    print(f"{loop.time():.1f} waiter cancelled {waiter.cancelled()}")


asyncio.run(main())

# expect 3.11:
# 1.0 target returns 7
# 1.0 target done True; cancel the waiter: True
# 1.0 waiter got CancelledError
# 1.0 waiter cancelled True
