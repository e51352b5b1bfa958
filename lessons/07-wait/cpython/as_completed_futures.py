"""as_completed() takes futures as well as tasks: each result comes when its future is set, in
that order, and an exception set on a future is raised by the await that gets it. Mixed with a
task, the future and the task come in the order they finish.
(test_as_completed.cpp: "as_completed gives futures' values in the order they are set",
"as_completed mixes futures and tasks through TaskRef")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def child(seconds):
    await asyncio.sleep(seconds)
    return 10


async def main():
    loop = asyncio.get_running_loop()
    futures = [loop.create_future() for _ in range(3)]
    loop.call_later(3, futures[0].set_result, 1)
    loop.call_later(1, futures[1].set_result, 2)
    loop.call_later(2, futures[2].set_exception, ValueError("bad"))
    for next_one in asyncio.as_completed(futures):
        try:
            print(at(f"got {await next_one}"))
        except ValueError as error:
            print(at(f"raises ValueError('{error}')"))

    future = loop.create_future()
    task = asyncio.create_task(child(1))
    loop.call_later(2, future.set_result, 20)
    for next_one in asyncio.as_completed([future, task]):
        print(at(f"got {await next_one}"))


asyncio.run(main())

# expect 3.11:
# 1.0 got 2
# 2.0 raises ValueError('bad')
# 3.0 got 1
# 4.0 got 10
# 5.0 got 20
