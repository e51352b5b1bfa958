"""A future, in Python: demo_future.cpp mirrors it line for line.

A future is a box for a result that somebody else puts in. main makes one, hands it to a courier
task and waits; the courier sets the result a second and a half later. A future that is finished
already gives its result at once; and a task is a future too, one whose result a coroutine
computes. Run it with: python3 lessons/05-tasks/mirror_future.py
"""
import asyncio

started = 0.0


def now():
    """Seconds since main started, on the loop's clock, as "1.5"."""
    return f"{asyncio.get_running_loop().time() - started:.1f}"


# book:courier
async def courier(parcel, contents, seconds):
    await asyncio.sleep(seconds)
    print(f"[{now()}] courier: set_result({contents})")
    parcel.set_result(contents)
    print(f"[{now()}] courier: done; main has not run yet")
# end book:courier


async def main():
    global started
    loop = asyncio.get_running_loop()
    started = loop.time()

    # book:create
    parcel = loop.create_future()
    print(f"[{now()}] parcel.done() = {parcel.done()}")
    loop.create_task(courier(parcel, "a book", 1.5))
    parcel.add_done_callback(lambda f: print(f"[{now()}] callback: the parcel holds {f.result()}"))
    print(f"[{now()}] main: waiting for the parcel")
    contents = await parcel
    print(f"[{now()}] main: got {contents}; parcel.done() = {parcel.done()}")
    # end book:create

    # book:finished
    ready = loop.create_future()
    ready.set_result(7)
    print(f"[{now()}] ready.done() = {ready.done()}")
    value = await ready
    print(f"[{now()}] main: got {value} without waiting")
    # end book:finished

    # book:task-is-future
    job = asyncio.create_task(asyncio.sleep(0))
    print(f"[{now()}] job.done() = {job.done()}")
    await job
    print(f"[{now()}] job.done() = {job.done()}: a task is a future its coroutine completes")
    # end book:task-is-future


asyncio.run(main())
