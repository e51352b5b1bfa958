"""Lesson 11's narrated program in asyncio: three jobs, one of which fails, under gather (the
others keep running) and under a TaskGroup (the others are cancelled, and the errors arrive
together); then a TaskGroup whose task is cancelled from outside. demo.cpp prints the same lines."""
import asyncio


class RollbackError(Exception):
    """A job could not undo its work after it was cancelled."""


def elapsed():
    return f"{asyncio.get_running_loop().time() - start:.1f}"


# book:jobs
async def job(number, seconds):
    """Works for `seconds`; if cancelled, takes number/10 s to roll its work back."""
    print(f"{elapsed()} job {number}: started, {seconds:.1f} s of work")
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        cancelled_at = elapsed()
        await asyncio.sleep(number / 10)
        print(f"{elapsed()} job {number}: cancelled at {cancelled_at}, rolled back")
        raise
    print(f"{elapsed()} job {number}: done")
    return number


async def broken_job(number, seconds):
    """Fails after `seconds`."""
    print(f"{elapsed()} job {number}: started, {seconds:.1f} s of work")
    await asyncio.sleep(seconds)
    print(f"{elapsed()} job {number}: the connection was reset")
    raise ConnectionError(f"job {number}: connection reset")


async def fragile_job(number, seconds):
    """Like job(), but its rollback fails."""
    print(f"{elapsed()} job {number}: started, {seconds:.1f} s of work")
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        cancelled_at = elapsed()
        await asyncio.sleep(number / 10)
        print(f"{elapsed()} job {number}: cancelled at {cancelled_at}, but the rollback failed")
        raise RollbackError(f"job {number}: rollback failed")
    print(f"{elapsed()} job {number}: done")
    return number
# end book:jobs


async def with_gather():
    jobs = [asyncio.create_task(job(1, 2.0)),
            asyncio.create_task(broken_job(2, 1.0)),
            asyncio.create_task(job(3, 3.0))]
    try:
        await asyncio.gather(*jobs)
    except ConnectionError as error:
        print(f"{elapsed()} main: gather raised ConnectionError: {error}")
    print(f"{elapsed()} main: job 1 done() = {jobs[0].done()}, job 3 done() = {jobs[2].done()}")
    await asyncio.sleep(2.5)
    print(f"{elapsed()} main: job 1 returned {jobs[0].result()}, job 3 returned {jobs[2].result()}")


# book:with-task-group
async def with_task_group():
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(job(1, 3.0))
            group.create_task(broken_job(2, 1.0))
            group.create_task(fragile_job(3, 3.0))
            try:
                await asyncio.sleep(5)
            except asyncio.CancelledError:
                print(f"{elapsed()} main: the body was cancelled too")
                raise
    except* ConnectionError as errors:
        for error in errors.exceptions:
            print(f"{elapsed()} main: caught ConnectionError: {error}")
    except* RollbackError as errors:
        for error in errors.exceptions:
            print(f"{elapsed()} main: caught RollbackError: {error}")
    print(f"{elapsed()} main: after the group, cancelling() = {asyncio.current_task().cancelling()}")
# end book:with-task-group


async def group_runner():
    try:
        async with asyncio.TaskGroup() as group:
            group.create_task(job(1, 3.0))
            group.create_task(job(2, 3.0))
    except asyncio.CancelledError:
        print(f"{elapsed()} runner: CancelledError left the scope")
        raise


async def cancelled_from_outside():
    runner = asyncio.create_task(group_runner())
    await asyncio.sleep(1.5)
    print(f"{elapsed()} main: runner.cancel()")
    runner.cancel()
    try:
        await runner
    except asyncio.CancelledError:
        print(f"{elapsed()} main: the runner ended cancelled: {runner.cancelled()}")


async def main():
    global start
    start = asyncio.get_running_loop().time()
    print("== gather: the first error comes out, the other jobs keep running")
    await with_gather()
    print("== TaskGroup: the first error cancels the other jobs; all errors come out together")
    await with_task_group()
    print("== TaskGroup: the task running it is cancelled from outside")
    await cancelled_from_outside()


asyncio.run(main())
