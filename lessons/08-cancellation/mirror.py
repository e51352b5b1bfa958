"""Lesson 08's narrated program in asyncio: a long job cancelled after 3 s cleans up; a task
cancelled before it starts never runs; cancelling a task that awaits another cancels both.
demo.cpp prints the same lines."""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time() - start:.1f}"


class Connection:
    """Stands for a resource that must be released however the job ends."""

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        print(f"{elapsed()} job: connection closed")


# book:long-job
async def long_job(chunks):
    print(f"{elapsed()} job: connecting, {chunks} chunks to fetch")
    with Connection():
        try:
            for chunk in range(1, chunks + 1):
                await asyncio.sleep(0.8)
                print(f"{elapsed()} job: chunk {chunk}/{chunks} saved to report.part")
        except asyncio.CancelledError:
            print(f"{elapsed()} job: cancelled during chunk {chunk}, removing report.part")
            await asyncio.sleep(0.5)
            print(f"{elapsed()} job: report.part removed")
            raise
    return "report.pdf"
# end book:long-job


async def supervisor():
    job = asyncio.create_task(long_job(3))
    try:
        return await job
    except asyncio.CancelledError:
        print(f"{elapsed()} supervisor: cancelled while awaiting the job; job.cancelled() = {job.cancelled()}")
        raise


async def main():
    global start
    start = asyncio.get_running_loop().time()

    print("== a long job, cancelled after 3 s")
    job = asyncio.create_task(long_job(10))
    await asyncio.sleep(3)
    print(f"{elapsed()} main: job.cancel() returns {job.cancel('user pressed Ctrl-C')}")
    print(f"{elapsed()} main: a request only: done() = {job.done()}, cancelling() = {job.cancelling()}")
    try:
        await job
    except asyncio.CancelledError as error:
        print(f"{elapsed()} main: awaiting the job raised CancelledError('{error}')")
    print(f"{elapsed()} main: cancelled() = {job.cancelled()}, and cancel() now returns {job.cancel()}")

    print("== a task cancelled before it starts")
    never = asyncio.create_task(long_job(5))
    print(f"{elapsed()} main: never.cancel() returns {never.cancel()}")
    await asyncio.sleep(0)
    print(f"{elapsed()} main: cancelled() = {never.cancelled()}, and long_job printed nothing")

    print("== cancelling a task that awaits another task")
    boss = asyncio.create_task(supervisor())
    await asyncio.sleep(1)
    boss.cancel()
    try:
        await boss
    except asyncio.CancelledError:
        print(f"{elapsed()} main: supervisor cancelled() = {boss.cancelled()}")


asyncio.run(main())
