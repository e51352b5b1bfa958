import asyncio
import threading


def on_loop_thread():
    return threading.current_thread() is threading.main_thread()


async def double(x):
    print("coroutine: on the loop's thread?", on_loop_thread())
    await asyncio.sleep(1)
    return 2 * x


def worker(loop):
    print("worker: on the loop's thread?", on_loop_thread())
    future = asyncio.run_coroutine_threadsafe(double(21), loop)
    print("worker: got", future.result())  # blocks this thread, not the loop
    return "worker done"


async def main():
    loop = asyncio.get_running_loop()
    start = loop.time()
    print(await asyncio.to_thread(worker, loop))
    print(f"after {loop.time() - start:.1f} s")


asyncio.run(main())
