# The only child has just finished, and the gather has not completed yet, when the awaiting task
# is cancelled. No child can take the request (outer.cancel() returns False), so the task keeps
# it and raises CancelledError at its await; the finished child is not cancelled.
# Shown for lesson 06's ex4 ("a cancel after every child finished reaches the waiter").
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    async def child():
        await asyncio.sleep(1)
        print(f"{loop.time():.1f} c ends")

    async def waiter_body():
        try:
            await asyncio.gather(child())
            print(f"{loop.time():.1f} gathered")
        except asyncio.CancelledError:
            print(f"{loop.time():.1f} waiter cancelled")

    task = asyncio.create_task(waiter_body())
    await asyncio.sleep(0)  # the waiter starts, and creates the child
    await asyncio.sleep(0)  # the child starts its 1 s sleep just before ours
    await asyncio.sleep(1)
    print(f"{loop.time():.1f} cancel {'accepted' if task.cancel() else 'refused'}")
    await task


asyncio.run(main())

# expect 3.11:
# 1.0 c ends
# 1.0 cancel accepted
# 1.0 waiter cancelled
