"""Stopping a task and waiting for it, by hand, as every asyncio program does. If the stopper is
cancelled while it waits, its request is forwarded into the worker, whose cleanup is cut short,
and the CancelledError the stopper sees is its own: the naive version swallows it, the careful
one (compare cancelling() with the count before) lets it through. And a stopper whose count was
already 1 (it swallowed a cancellation of its own earlier) must not take that stale count for a
new request.
(test_cancellation.cpp: "cancel_and_wait passes on a cancellation of the task that waits ..." and
"cancel_and_wait from a task whose cancelling() is already 1")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def cancel_and_wait(task, msg=None):
    me = asyncio.current_task()
    requests_before = me.cancelling()
    task.cancel(msg)
    try:
        await task
    except asyncio.CancelledError:
        if me.cancelling() > requests_before:
            raise
    return task.cancelled()


async def worker(name, cleanup):
    try:
        await asyncio.sleep(100)
    except asyncio.CancelledError:
        print(at(f"{name} cleans up"))
        try:
            await asyncio.sleep(cleanup)
        except asyncio.CancelledError:
            print(at(f"{name}'s cleanup is cancelled too"))
            raise
        print(at(f"{name} cleaned up"))
        raise


async def stopper(task):
    print(at("stopper stops the worker"))
    try:
        await cancel_and_wait(task)
    except asyncio.CancelledError:
        print(at("stopper is cancelled itself: rethrow"))
        raise
    print(at("stopper goes on"))


async def naive_stopper(task):
    print(at("stopper stops the worker"))
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        pass  # expected the worker's CancelledError... but it may be ours
    print(at("stopper goes on"))


async def cancel_the_stopper(naive):
    task = asyncio.create_task(worker("worker", 2))
    await asyncio.sleep(1)
    stop = asyncio.create_task(naive_stopper(task) if naive else stopper(task))
    await asyncio.sleep(1)
    print(at("main cancels the stopper"))
    stop.cancel()
    try:
        await stop
    except asyncio.CancelledError:
        pass
    print(at("stopper ended cancelled" if stop.cancelled() else "stopper ended normally"))


async def stale_count():
    me = asyncio.current_task()
    task = asyncio.create_task(worker("worker", 0.5))
    me.cancel("myself")
    try:
        await asyncio.sleep(0)
    except asyncio.CancelledError:
        print(at(f"swallowed my own cancellation, cancelling() = {me.cancelling()}"))
    result = await cancel_and_wait(task)
    print(at(f"cancel_and_wait returns {result}, cancelling() = {me.cancelling()}"))


async def main():
    await cancel_the_stopper(naive=False)
    print("-- the naive stopper")
    await cancel_the_stopper(naive=True)
    print("-- a stopper with a stale count")
    await asyncio.create_task(stale_count())


asyncio.run(main())

# expect 3.11:
# 1.0 stopper stops the worker
# 1.0 worker cleans up
# 2.0 main cancels the stopper
# 2.0 worker's cleanup is cancelled too
# 2.0 stopper is cancelled itself: rethrow
# 2.0 stopper ended cancelled
# -- the naive stopper
# 3.0 stopper stops the worker
# 3.0 worker cleans up
# 4.0 main cancels the stopper
# 4.0 worker's cleanup is cancelled too
# 4.0 stopper goes on
# 4.0 stopper ended normally
# -- a stopper with a stale count
# 4.0 swallowed my own cancellation, cancelling() = 1
# 4.0 worker cleans up
# 4.5 worker cleaned up
# 4.5 cancel_and_wait returns True, cancelling() = 1
