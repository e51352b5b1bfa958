"""A worker loop, cancelled and drained: it puts back the item it was working on, reports what
it finished and what is left, and the caller learns that it really has stopped.
demo_worker.cpp prints the same lines."""
import asyncio
from collections import deque


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


# book:cancel-and-wait
async def cancel_and_wait(task, msg=None):
    """Cancel task, wait until it has ended, say whether it ended cancelled. A cancellation of
    the caller itself is passed on, not swallowed."""
    me = asyncio.current_task()
    requests_before = me.cancelling()
    task.cancel(msg)
    try:
        await task
    except asyncio.CancelledError:
        if me.cancelling() > requests_before:
            raise
    return task.cancelled()
# end book:cancel-and-wait


# book:worker
async def worker(items, finished):
    try:
        while items:
            item = items.popleft()
            print(f"{elapsed()} worker: {item} started")
            try:
                await asyncio.sleep(1.5)
            except asyncio.CancelledError:
                print(f"{elapsed()} worker: cancelled during {item}, rolling it back")
                await asyncio.sleep(0.2)
                items.appendleft(item)
                print(f"{elapsed()} worker: {item} is back in the queue")
                raise
            finished.append(item)
            print(f"{elapsed()} worker: {item} finished")
    finally:
        print(f"{elapsed()} worker: stopped after {len(finished)} items")
# end book:worker


async def main():
    items = deque(f"order-{n}" for n in range(1, 8))
    finished = []
    task = asyncio.create_task(worker(items, finished))
    await asyncio.sleep(4)
    print(f"{elapsed()} main: shutting down")
    was_cancelled = await cancel_and_wait(task, "shutdown")
    print(f"{elapsed()} main: the worker has stopped, cancelled = {was_cancelled}")
    print(f"{elapsed()} main: finished {', '.join(finished)}")
    print(f"{elapsed()} main: left for next time {', '.join(items)}")


asyncio.run(main())
