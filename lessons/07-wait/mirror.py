"""Lesson 07's narrated program in Python: demo.cpp mirrors it line for line.

Part 1 downloads the same file from three mirrors, keeps the first answer (FIRST_COMPLETED),
cancels the other two and waits for their cleanup. Part 2 shows that a timeout ends the wait,
not the tasks. Run it with: python3 lessons/07-wait/mirror.py
"""
import asyncio

started = 0.0


def now():
    """Seconds since main() started, on the loop's clock."""
    return f"{asyncio.get_running_loop().time() - started:.1f}"


def names(tasks, subset):
    """The names of the tasks in `subset`, in the order of `tasks` (wait returns sets)."""
    return ", ".join(task.get_name() for task in tasks if task in subset) or "-"


# book:download
async def download(mirror, seconds):
    print(f"{mirror}: downloading, {seconds:.1f} s to go")
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        print(f"{mirror}: cancelled at {now()} s, closing the connection")
        raise
    print(f"{mirror}: done at {now()} s")
    return f"python.tar.xz from {mirror}"
# end book:download


async def first_completed():
    print("1. FIRST_COMPLETED: three mirrors, the first answer wins")
    # book:first-completed
    tasks = [asyncio.create_task(download("eu", 3.0), name="eu"),
             asyncio.create_task(download("us", 1.0), name="us"),
             asyncio.create_task(download("asia", 2.0), name="asia")]
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    print(f"wait returned at {now()} s")
    print(f"  done:    {names(tasks, done)}")
    print(f"  pending: {names(tasks, pending)}")
    winner = next(task for task in tasks if task in done)
    print(f"  result:  {winner.result()}")

    print(f"cancelling {names(tasks, pending)}")
    for task in tasks:
        if not task.done():
            task.cancel()
    await asyncio.wait(pending)  # the cancelled tasks run their cleanup
    print(f"every download is over at {now()} s")
    for task in tasks:
        print(f"  {task.get_name()}: {'cancelled' if task.cancelled() else 'finished'}")
    # end book:first-completed


async def job(name, seconds):
    print(f"{name}: started, takes {seconds:.1f} s")
    await asyncio.sleep(seconds)
    print(f"{name}: done at {now()} s")
    return name


async def with_timeout():
    print("2. a timeout ends the wait, not the tasks")
    # book:timeout
    tasks = [asyncio.create_task(job("backup", 2.0), name="backup"),
             asyncio.create_task(job("report", 0.5), name="report")]
    done, pending = await asyncio.wait(tasks, timeout=1.0)
    print(f"wait(timeout=1.0) returned at {now()} s")
    print(f"  done:    {names(tasks, done)}")
    print(f"  pending: {names(tasks, pending)}")
    backup = tasks[0]
    print(f"backup is {'cancelled' if backup.cancelled() else 'still running'}; awaiting it")
    result = await backup
    print(f"got {result} at {now()} s")
    # end book:timeout


async def main():
    global started
    started = asyncio.get_running_loop().time()
    await first_completed()
    await with_timeout()


asyncio.run(main())
