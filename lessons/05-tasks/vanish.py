"""asyncio's "task vanished" trap, in ten lines: python3 lessons/05-tasks/vanish.py

The event loop keeps only weak references to tasks. A task that nobody else refers to, waiting
on a future that nobody else refers to either, is garbage: the collector closes its coroutine
(the `finally` runs) and asyncio logs "Task was destroyed but it is pending!". The signal can
never arrive now. aio's loop holds a strong reference to every pending task, so the same program
in C++ keeps its task until it finishes (or until aio::run cancels it at the end).
"""
import asyncio
import gc


# book:vanish
async def wait_for_signal(signal):
    try:
        await signal
        print("got the signal")
    finally:
        print("wait_for_signal: cleaning up")


async def main():
    loop = asyncio.get_running_loop()
    asyncio.create_task(wait_for_signal(loop.create_future()))  # neither task nor future is kept
    await asyncio.sleep(0)  # the task runs up to its await and suspends there
    gc.collect()            # the collector finds a task that nothing refers to
    print(f"tasks left: {len(asyncio.all_tasks())}")
# end book:vanish


asyncio.run(main())
