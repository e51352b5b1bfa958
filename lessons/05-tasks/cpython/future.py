"""asyncio.Future: a result set from outside. Two tasks wait for one future, and two done
callbacks listen, one added before the tasks waited and one after: when set_result runs, every one
of them is told in that order, in the next iteration of the loop, through call_soon. Reading too
early, and ending a future twice, raise InvalidStateError; cancel() of a finished future returns
False. A callback added to a finished future is still scheduled, not called at once.
(test_future.cpp: "a future set later wakes every listener in the order it came", "reading ...",
"a future ends once", "a callback added after the end still goes through the ready queue")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def waiter(name, future):
    print(at(f"{name} waits"))
    value = await future
    print(at(f"{name} got {value}"))


async def tick(n):
    for i in range(n):
        print(at(f"tick {i}"))
        await asyncio.sleep(0)


async def main():
    loop = asyncio.get_running_loop()
    future = loop.create_future()
    try:
        future.result()
    except asyncio.InvalidStateError as error:
        print(f"result() too early: {error}")
    try:
        future.exception()
    except asyncio.InvalidStateError as error:
        print(f"exception() too early: {error}")

    future.add_done_callback(lambda f: print(at(f"callback 1 sees {f.result()}")))
    a = asyncio.create_task(waiter("a", future))
    b = asyncio.create_task(waiter("b", future))
    await asyncio.sleep(0)
    future.add_done_callback(lambda f: print(at(f"callback 2 sees {f.result()}")))
    loop.call_later(1, future.set_result, 42)
    await asyncio.sleep(1)
    print(at("set_result has run"))
    asyncio.create_task(tick(3))
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    await asyncio.sleep(0)

    try:
        future.set_result(43)
    except asyncio.InvalidStateError as error:
        print(f"set_result again: {error}")
    try:
        future.set_exception(ValueError("late"))
    except asyncio.InvalidStateError as error:
        print(f"set_exception after: {error}")
    print(f"cancel() after: {future.cancel()}, result() = {future.result()}")
    future.add_done_callback(lambda f: print(at("late callback runs")))
    print(at("late callback added"))
    await asyncio.sleep(0)


asyncio.run(main())

# expect 3.11:
# result() too early: Result is not set.
# exception() too early: Exception is not set.
# 0.0 a waits
# 0.0 b waits
# 1.0 callback 1 sees 42
# 1.0 a got 42
# 1.0 b got 42
# 1.0 callback 2 sees 42
# 1.0 set_result has run
# 1.0 tick 0
# 1.0 tick 1
# 1.0 tick 2
# set_result again: invalid state
# set_exception after: invalid state
# cancel() after: False, result() = 42
# 1.0 late callback added
# 1.0 late callback runs
