"""asyncio.Condition: wait() releases the lock and returns holding it again; notify(n) wakes the
n oldest waiters, each of which then queues for the lock, so it returns from wait() only after
the notifier has released the lock; notify_all() wakes the rest; wait_for(predicate) checks the
predicate with the lock held and returns its value. Waiting or notifying without the lock is a
RuntimeError. (test_condition.cpp)"""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def consumer(name, cond, state):
    async with cond:
        print(f"{elapsed()} {name} waits")
        await cond.wait_for(lambda: state["items"] > 0)
        state["items"] -= 1
        print(f"{elapsed()} {name} took an item, locked() = {cond.locked()}")


async def main():
    cond = asyncio.Condition()
    try:
        await cond.wait()
    except RuntimeError as error:
        print(f"wait() raised RuntimeError: {error}")
    try:
        cond.notify()
    except RuntimeError as error:
        print(f"notify() raised RuntimeError: {error}")

    state = {"items": 0}
    tasks = [asyncio.create_task(consumer(name, cond, state)) for name in "abcd"]
    await asyncio.sleep(1)
    async with cond:
        state["items"] += 2
        cond.notify(2)
        print(f"{elapsed()} main: two items, notify(2); sleeps holding the lock")
        await asyncio.sleep(1)
        print(f"{elapsed()} main: releases")
    await asyncio.sleep(1)
    async with cond:
        state["items"] += 1
        print(f"{elapsed()} main: one item, notify_all()")
        cond.notify_all()
    await asyncio.sleep(1)
    print(f"{elapsed()} d still waits: done() = {tasks[3].done()}")
    async with cond:
        state["items"] += 1
        cond.notify()
    await asyncio.gather(*tasks)


asyncio.run(main())

# expect 3.11:
# wait() raised RuntimeError: cannot wait on un-acquired lock
# notify() raised RuntimeError: cannot notify on un-acquired lock
# 0.0 a waits
# 0.0 b waits
# 0.0 c waits
# 0.0 d waits
# 1.0 main: two items, notify(2); sleeps holding the lock
# 2.0 main: releases
# 2.0 a took an item, locked() = True
# 2.0 b took an item, locked() = True
# 3.0 main: one item, notify_all()
# 3.0 c took an item, locked() = True
# 4.0 d still waits: done() = False
# 4.0 d took an item, locked() = True
