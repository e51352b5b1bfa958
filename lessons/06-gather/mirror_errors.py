"""Lesson 06, demo 4 in Python: demo_errors.cpp mirrors it line for line.

What gather does when things go wrong: the first failure ends the gather while the other jobs keep
running; return_exceptions=True keeps every outcome instead; and cancelling the task that awaits a
gather cancels the jobs. Run it with: python3 lessons/06-gather/mirror_errors.py
"""
import asyncio

started = 0.0


def now():
    """Seconds since main() started, on the loop's clock, as "1.0"."""
    return f"{asyncio.get_running_loop().time() - started:.1f}"


# book:job
async def job(name, seconds, fails=False):
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        print(f"{now()} {name}: cancelled")
        raise
    if fails:
        print(f"{now()} {name}: fails")
        raise RuntimeError(f"{name} failed")
    print(f"{now()} {name}: done")
    return name
# end book:job


# book:pipeline
async def pipeline():
    try:
        await asyncio.gather(job("download", 3), job("upload", 2))
    except asyncio.CancelledError:
        print(f"{now()} pipeline: cancelled while gathering")
        raise
# end book:pipeline


async def main():
    global started
    started = asyncio.get_running_loop().time()

    print("1. the first failure ends the gather; the other jobs keep running")
    # book:first-failure
    try:
        await asyncio.gather(job("download", 3), job("parse", 1, fails=True), job("upload", 2, fails=True))
    except RuntimeError as error:
        print(f"{now()} main: caught '{error}'")
    await asyncio.sleep(3)  # meanwhile, upload fails (nobody hears of it) and download ends
    # end book:first-failure

    print("2. return_exceptions=True: every job's outcome, in argument order")
    # book:return-exceptions
    results = await asyncio.gather(job("download", 3), job("parse", 1, fails=True),
                                   job("upload", 2, fails=True), return_exceptions=True)
    for result in results:
        if isinstance(result, Exception):
            print(f"{now()} main: error '{result}'")
        else:
            print(f"{now()} main: value '{result}'")
    # end book:return-exceptions

    print("3. cancelling the task that awaits gather cancels the jobs")
    # book:cancel
    task = asyncio.create_task(pipeline())
    await asyncio.sleep(1)
    print(f"{now()} main: cancel the pipeline")
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print(f"{now()} main: pipeline cancelled: {task.cancelled()}")
    # end book:cancel


asyncio.run(main())
