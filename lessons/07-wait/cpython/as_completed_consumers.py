"""Two coroutines may await the awaitables of one as_completed at the same time: asyncio's queue
keeps a list of getters, and each gets one result. (aio allows one waiter at a time and refuses a
second with InvalidStateError: the chapter's "One consumer at a time".)
(test_as_completed.cpp: "a second task waiting in as_completed is refused")"""
import asyncio


def now():
    return f"{asyncio.get_running_loop().time():.1f}"


async def after(delay, value):
    await asyncio.sleep(delay)
    return value


async def consumer(name, next_result):
    print(f"{name} got {await next_result} at {now()}")


async def main():
    tasks = [asyncio.create_task(after(3, 3)), asyncio.create_task(after(1, 1))]
    first, second = asyncio.as_completed(tasks)
    await asyncio.gather(consumer("a", first), consumer("b", second))


asyncio.run(main())

# expect 3.11:
# a got 1 at 1.0
# b got 3 at 3.0
