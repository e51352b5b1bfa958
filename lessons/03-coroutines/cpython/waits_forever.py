"""asyncio has no deadlock check: a task that awaits a future nothing will ever complete just
waits. Here it is still waiting after an hour of (virtual) time. aio::run_sync, which has nothing
but other coroutines to wait for, throws DeadlockError instead. (test_scheduler.cpp: "run_sync
throws DeadlockError when ..."; chapter 03, "Step 6")"""
import asyncio


async def main():
    loop = asyncio.get_running_loop()
    never = loop.create_future()
    try:
        await asyncio.wait_for(asyncio.shield(never), 3600)
    except TimeoutError:
        print(f"after {loop.time():.0f} s the future is still pending: {not never.done()}")


asyncio.run(main())

# expect 3.11:
# after 3600 s the future is still pending: True
