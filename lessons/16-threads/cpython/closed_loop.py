"""call_soon_threadsafe and run_coroutine_threadsafe on a closed loop raise RuntimeError('Event
loop is closed'), from any thread (aio: EventLoopClosed, a RuntimeError with the same words).
(test_inbox.cpp: "posting to a closed loop raises EventLoopClosed")"""
import asyncio
import threading

loop = asyncio.new_event_loop()
loop.close()


def from_another_thread():
    try:
        loop.call_soon_threadsafe(print, "never")
    except RuntimeError as error:
        print(f"call_soon_threadsafe: RuntimeError: {error}")


thread = threading.Thread(target=from_another_thread)
thread.start()
thread.join()


async def nothing():
    pass


coro = nothing()
try:
    asyncio.run_coroutine_threadsafe(coro, loop)
except RuntimeError as error:
    print(f"run_coroutine_threadsafe: RuntimeError: {error}")
    coro.close()

# expect 3.11:
# call_soon_threadsafe: RuntimeError: Event loop is closed
# run_coroutine_threadsafe: RuntimeError: Event loop is closed
