"""asyncio holds nothing for a woken getter: a task that comes in before it runs takes the item,
and the woken getter, finding the queue empty, waits again at the back of the line. aio holds
the item for the getter it woke instead. (test_queue.cpp: "an item held for a woken getter is
not free to a newcomer")"""
import asyncio


async def getter(queue, name):
    print(f"{name} waits")
    item = await queue.get()
    print(f"{name} got {item}")


async def main():
    queue = asyncio.Queue()
    a = asyncio.create_task(getter(queue, "a"))
    await asyncio.sleep(0)
    b = asyncio.create_task(getter(queue, "b"))
    queue.put_nowait("x")  # wakes a
    print(f"main: put x, qsize {queue.qsize()}")
    print(f"main: took {queue.get_nowait()}")  # before a runs
    await asyncio.sleep(0)  # b waits; a finds the queue empty and waits again, behind b
    queue.put_nowait("y")
    await asyncio.sleep(0)
    print(f"a done: {a.done()}, b done: {b.done()}")
    queue.put_nowait("z")
    await asyncio.gather(a, b)


asyncio.run(main())

# expect 3.11:
# a waits
# main: put x, qsize 1
# main: took x
# b waits
# b got y
# a done: False, b done: True
# a got z
