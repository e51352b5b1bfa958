"""Lesson 10's narrated program in asyncio: a request handler starts a database write; the client
hangs up (the handler is cancelled) while the write is in progress. Without a shield the write is
cancelled with the handler; with asyncio.shield it finishes, and its result is still there for
whoever awaits it. Last, cancelling the write itself cancels the handler that waits through the
shield. demo.cpp prints the same lines."""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time() - start:.1f}"


# book:save
async def save(order):
    print(f"{elapsed()} db: writing {order}")
    try:
        await asyncio.sleep(2)
    except asyncio.CancelledError:
        print(f"{elapsed()} db: write of {order} interrupted, rolled back")
        raise
    print(f"{elapsed()} db: {order} committed")
    return f"{order} saved"
# end book:save


# book:handle
async def handle(order, protect, writes):
    print(f"{elapsed()} request: {order} received")
    await asyncio.sleep(0.5)  # validate it
    write = asyncio.create_task(save(order))
    writes.append(write)  # keep a reference: shutdown awaits every write
    try:
        if protect:
            status = await asyncio.shield(write)
        else:
            status = await write
    except asyncio.CancelledError:
        print(f"{elapsed()} request: cancelled, the client is gone")
        raise
    print(f"{elapsed()} request: replying '{status}'")
# end book:handle


async def hang_up_after(seconds, order, protect, writes):
    request = asyncio.create_task(handle(order, protect, writes))
    await asyncio.sleep(seconds)
    print(f"{elapsed()} client: hangs up")
    request.cancel()
    try:
        await request
    except asyncio.CancelledError:
        print(f"{elapsed()} main: request cancelled() = {request.cancelled()}, "
              f"write done() = {writes[-1].done()}")


# book:main
async def main():
    global start
    start = asyncio.get_running_loop().time()
    writes = []

    print("== without shield: the write is cancelled with the request")
    await hang_up_after(1.5, "order-1", False, writes)

    print("== with shield: the request is cancelled, the write goes on")
    await hang_up_after(1.5, "order-2", True, writes)

    print("== shutdown: wait for every write")
    for write in writes:
        try:
            status = await write
            print(f"{elapsed()} main: {status}")
        except asyncio.CancelledError:
            print(f"{elapsed()} main: a write was cancelled")
# end book:main

    print("== cancelling the write itself cancels the request too")
    request = asyncio.create_task(handle("order-3", True, writes))
    await asyncio.sleep(1)
    writes[-1].cancel()
    try:
        await request
    except asyncio.CancelledError:
        print(f"{elapsed()} main: request cancelled() = {request.cancelled()}")


asyncio.run(main())
