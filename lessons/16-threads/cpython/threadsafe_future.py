"""run_coroutine_threadsafe returns a concurrent.futures.Future: result(timeout) raises
TimeoutError and leaves it pending; cancel() ends it at once and cancels the task on the loop,
which sees CancelledError. Asked again, cancel() still says True: it is cancelled (it says False
only for a future that finished with a result or an exception).
(test_run_coroutine_threadsafe.cpp, l16.ex3)"""
import asyncio
import concurrent.futures
import threading


async def waits(event):
    try:
        await event.wait()
    except asyncio.CancelledError:
        print("loop: the task was cancelled")
        raise


async def nothing():
    pass


loop = asyncio.new_event_loop()
thread = threading.Thread(target=loop.run_forever)
thread.start()
future = asyncio.run_coroutine_threadsafe(waits(asyncio.Event()), loop)
try:
    future.result(timeout=0.05)
except TimeoutError as error:
    print(f"result(0.05): {type(error).__name__}; done() = {future.done()}")
print(f"concurrent.futures.TimeoutError is TimeoutError: {concurrent.futures.TimeoutError is TimeoutError}")
first = future.cancel()
asyncio.run_coroutine_threadsafe(nothing(), loop).result()
print(f"cancel() = {first}, cancelled() = {future.cancelled()}, cancel() again = {future.cancel()}")
try:
    future.result()
except concurrent.futures.CancelledError:
    print("result(): CancelledError")
loop.call_soon_threadsafe(loop.stop)
thread.join()
loop.close()

# expect 3.11:
# result(0.05): TimeoutError; done() = False
# concurrent.futures.TimeoutError is TimeoutError: True
# loop: the task was cancelled
# cancel() = True, cancelled() = True, cancel() again = True
# result(): CancelledError
