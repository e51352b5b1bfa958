"""After shutdown() (Python 3.13) the items left still go out, to whoever asks first: here main
takes the item whose put had woken the getter, and the getter, finding the queue empty and shut
down, raises QueueShutDown. (In aio a shutdown drops the holds on items, so both behave alike.)
(test_queue.cpp: "a shutdown drops the holds: the first to come takes what is left")"""
import asyncio


async def getter(queue, name):
    try:
        item = await queue.get()
    except Exception as error:
        print(f"{name}: {type(error).__name__}")
        return
    print(f"{name} got {item}")


async def main():
    if not hasattr(asyncio.Queue, "shutdown"):
        print("asyncio.Queue has no shutdown() before Python 3.13")
        return
    queue = asyncio.Queue()
    a = asyncio.create_task(getter(queue, "a"))
    await asyncio.sleep(0)
    queue.put_nowait("x")  # wakes a
    queue.shutdown()
    print(f"main took {queue.get_nowait()}")
    await a


asyncio.run(main())

# expect 3.11:
# asyncio.Queue has no shutdown() before Python 3.13
# expect 3.13:
# main took x
# a: QueueShutDown
