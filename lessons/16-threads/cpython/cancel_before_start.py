"""A run_in_executor future cancelled while its call still waits in the executor's queue: the
call never runs (concurrent.futures.Future.cancel succeeds on a call not yet running).
(test_to_thread.cpp: "a job whose future is cancelled before it starts never runs")"""
import asyncio
import concurrent.futures
import threading


async def main():
    loop = asyncio.get_running_loop()
    pool = concurrent.futures.ThreadPoolExecutor(max_workers=1)
    release = threading.Event()
    ran = []
    blocker = loop.run_in_executor(pool, release.wait)
    queued = loop.run_in_executor(pool, ran.append, "queued")
    queued.cancel()
    await asyncio.sleep(0)
    release.set()
    await blocker
    pool.shutdown(wait=True)
    print(f"the queued call ran: {bool(ran)}")
    try:
        pool.submit(print)
    except RuntimeError as error:
        print(f"submit after shutdown: RuntimeError: {error}")


asyncio.run(main())

# expect 3.11:
# the queued call ran: False
# submit after shutdown: RuntimeError: cannot schedule new futures after shutdown
