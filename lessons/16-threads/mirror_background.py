"""Lesson 16's second program in asyncio: an event loop running in a background thread, and the
main thread handing it coroutines with run_coroutine_threadsafe, then stopping it.
demo_background.cpp prints the same lines. Every line is printed by the main thread, or by the
loop's thread at a moment the main thread waits for, so the order is the same on every run.
"""
import asyncio
import threading


async def square_later(n):
    await asyncio.sleep(0.1 * n)
    return n * n, threading.current_thread() is not threading.main_thread()


async def waits_for_ever(event):
    try:
        await event.wait()  # nobody sets it
    except asyncio.CancelledError:
        print("loop: waits_for_ever was cancelled")
        raise


async def nothing():
    pass


# book:background
def main():
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever)
    thread.start()
    print("main: the loop runs in a background thread")

    futures = [asyncio.run_coroutine_threadsafe(square_later(n), loop) for n in (1, 2, 3)]
    for n, future in zip((1, 2, 3), futures):
        value, elsewhere = future.result(timeout=5)
        print(f"main: square_later({n}) = {value}, computed in another thread: {elsewhere}")

    event = asyncio.Event()
    slow = asyncio.run_coroutine_threadsafe(waits_for_ever(event), loop)
    try:
        slow.result(timeout=0.1)
    except TimeoutError:
        print(f"main: no result after 0.1 s; done() = {slow.done()}")
    cancelled_now = slow.cancel()
    asyncio.run_coroutine_threadsafe(nothing(), loop).result(timeout=5)  # the loop has got past the cancel
    print(f"main: cancel() = {cancelled_now}, cancelled() = {slow.cancelled()}")

    loop.call_soon_threadsafe(loop.stop)
    thread.join()
    loop.close()
    print("main: the loop has stopped and its thread has ended")
    late = nothing()
    try:
        asyncio.run_coroutine_threadsafe(late, loop)
    except RuntimeError as error:
        print(f"main: run_coroutine_threadsafe on a closed loop: RuntimeError: {error}")
        late.close()  # it will never run
# end book:background


main()
