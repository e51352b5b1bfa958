"""What gather() returns is a future that can be held. Stored, it is awaited later (at once if it
is done by then) or by two tasks, which both get the results in the same iteration of the loop.
cancel() on it cancels every child still running, with
the message, and returns True; awaiting it then raises CancelledError with that message (the
gather ends with that exception: cancelled() stays False). cancel() of a gather that is done
returns False.
(test_gather.cpp: "a held gather is awaited later, and by two tasks", "cancel() of a held gather
cancels its children; awaiting it raises CancelledError")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def child(name, seconds):
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError as error:
        print(at(f"{name} sees CancelledError{error.args}"))
        raise
    return name


async def waiter(name, gathering):
    results = await gathering
    print(at(f"{name} got {results}"))


async def main():
    gathering = asyncio.gather(child("a", 1), child("b", 2))
    print(at(f"held: done() = {gathering.done()}"))
    first = asyncio.create_task(waiter("w1", gathering))
    second = asyncio.create_task(waiter("w2", gathering))
    await asyncio.sleep(3)
    print(at(f"done() = {gathering.done()}"))
    results = await gathering
    print(at(f"main got {results} at once"))
    print(f"cancel() when done: {gathering.cancel()}")

    gathering = asyncio.gather(child("c", 1), child("d", 2))
    await asyncio.sleep(0)
    print(at(f"cancel('stop'): {gathering.cancel('stop')}"))
    try:
        await gathering
    except asyncio.CancelledError as error:
        print(at(f"await raises CancelledError{error.args}; cancelled() = {gathering.cancelled()}"))
    print(f"done() = {gathering.done()}, cancel() again: {gathering.cancel()}")


asyncio.run(main())

# expect 3.11:
# 0.0 held: done() = False
# 2.0 w1 got ['a', 'b']
# 2.0 w2 got ['a', 'b']
# 3.0 done() = True
# 3.0 main got ['a', 'b'] at once
# cancel() when done: False
# 3.0 cancel('stop'): True
# 3.0 c sees CancelledError('stop',)
# 3.0 d sees CancelledError('stop',)
# 3.0 await raises CancelledError('stop',); cancelled() = False
# done() = True, cancel() again: False
