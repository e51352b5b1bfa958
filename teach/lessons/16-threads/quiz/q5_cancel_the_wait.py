import asyncio
import threading


def slow_job(started, release, ended):
    started.set()
    release.wait()
    print("job: finished all the same")
    ended.set()


async def main():
    started, release, ended = threading.Event(), threading.Event(), threading.Event()
    task = asyncio.create_task(asyncio.to_thread(slow_job, started, release, ended))
    await asyncio.to_thread(started.wait)  # the job is running now
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print("main: the await was cancelled; task.cancelled() is", task.cancelled())
    release.set()
    await asyncio.to_thread(ended.wait)
    print("main: the job's thread is free again")


asyncio.run(main())
