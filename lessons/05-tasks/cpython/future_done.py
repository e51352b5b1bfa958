"""Awaiting a future that has ended already does not suspend: the task goes on at once, before
any other ready task. An exception set on a future comes out of every await; cancel(msg) wakes
every waiter with CancelledError(msg), and result() raises it too. Cancelling a task that waits
on a future cancels the future itself (Task.cancel cancels the future its task waits on), so
every other waiter sees the same CancelledError.
(test_future.cpp: "co_await on a finished future does not suspend", "an exception or a cancel
ends the future for every waiter", "cancelling a task that awaits a future cancels the future")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def waiter(name, future):
    print(at(f"{name} waits"))
    try:
        value = await future
        print(at(f"{name} got {value}"))
    except asyncio.CancelledError as error:
        print(at(f"{name} sees CancelledError{error.args}"))
        raise
    except Exception as error:
        print(at(f"{name} sees {error}"))


async def tick(n):
    for i in range(n):
        print(at(f"tick {i}"))
        await asyncio.sleep(0)


async def main():
    loop = asyncio.get_running_loop()
    future = loop.create_future()
    future.set_result(7)
    ticker = asyncio.create_task(tick(2))
    value = await future
    print(at(f"got {value}"))
    await asyncio.sleep(0)
    await asyncio.sleep(0)

    bad = loop.create_future()
    bad.set_exception(ValueError("bad input"))
    await waiter("c", bad)

    box = loop.create_future()
    d = asyncio.create_task(waiter("d", box))
    await asyncio.sleep(0)
    print(at(f"cancel('stop') returns {box.cancel('stop')}"))
    await asyncio.sleep(0)
    try:
        box.result()
    except asyncio.CancelledError as error:
        print(at(f"result() throws CancelledError{error.args}"))

    box = loop.create_future()
    e = asyncio.create_task(waiter("e", box))
    f = asyncio.create_task(waiter("f", box))
    await asyncio.sleep(0)
    e.cancel("bye")
    await asyncio.sleep(0)
    print(at(f"the future is cancelled: {box.cancelled()}"))


asyncio.run(main())

# expect 3.11:
# 0.0 got 7
# 0.0 tick 0
# 0.0 tick 1
# 0.0 c waits
# 0.0 c sees bad input
# 0.0 d waits
# 0.0 cancel('stop') returns True
# 0.0 d sees CancelledError('stop',)
# 0.0 result() throws CancelledError('stop',)
# 0.0 e waits
# 0.0 f waits
# 0.0 e sees CancelledError('bye',)
# 0.0 f sees CancelledError('bye',)
# 0.0 the future is cancelled: True
