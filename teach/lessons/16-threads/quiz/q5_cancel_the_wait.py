import asyncio
import threading


def slow_job(started, release):
    started.set()
    release.wait()
    print("job: finished all the same")


async def main():
    started, release = threading.Event(), threading.Event()
    task = asyncio.create_task(asyncio.to_thread(slow_job, started, release))
    await asyncio.to_thread(started.wait)  # the job is running now
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("main: the await was cancelled; task.cancelled() is", task.cancelled())
    release.set()


asyncio.run(main())
print("asyncio.run returned")
