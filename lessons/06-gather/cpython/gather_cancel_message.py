# Cancelling the task that awaits gather(..., return_exceptions=True): the gather still ends with
# CancelledError, and that error is made from the *last child in argument order*. Its message is
# that child's cancel message; if that child finished normally (here: it was already done, so
# cancel() could not reach it), there is no message at all.
# Shown for lesson 06's ex4 and the chapter's "Where aio differs" (aio's error carries the
# message given to cancel()).
import asyncio


async def main():
    loop = asyncio.get_running_loop()

    async def job(name, seconds):
        await asyncio.sleep(seconds)
        return name

    async def waiter_body(order):
        jobs = {"slow": asyncio.create_task(job("slow", 5)), "quick": asyncio.create_task(job("quick", 0))}
        await asyncio.sleep(0.1)  # "quick" is done by now
        try:
            await asyncio.gather(*(jobs[name] for name in order), return_exceptions=True)
        except asyncio.CancelledError as error:
            print(f"{loop.time():.1f} gather({', '.join(order)}) raised CancelledError{error.args}")
            raise

    for order in (["quick", "slow"], ["slow", "quick"]):
        waiter = asyncio.create_task(waiter_body(order))
        await asyncio.sleep(0.5)
        waiter.cancel("stop")
        try:
            await waiter
        except asyncio.CancelledError:
            pass


asyncio.run(main())

# expect 3.11:
# 0.5 gather(quick, slow) raised CancelledError('stop',)
# 1.0 gather(slow, quick) raised CancelledError()
