"""asyncio.Condition: a waiter that notify() woke, and that is cancelled before it could return
from wait(). In 3.11 and 3.12 the notification is lost: the next waiter is never woken (here it
waits for main's second notify()). 3.13 passes it on: a wait() that ends with an error after it was
notified (in fact any wait() that ends with an error) calls notify(1), so the next waiter wakes
as soon as the lock is free. aio does what 3.13 does for a notified waiter.
(test_condition.cpp: "a notified waiter that is cancelled passes the notification on")"""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def waiter(name, cond):
    async with cond:
        try:
            await cond.wait()
            print(f"{elapsed()} {name} notified")
        except asyncio.CancelledError:
            print(f"{elapsed()} {name} cancelled")
            raise


async def main():
    cond = asyncio.Condition()
    a = asyncio.create_task(waiter("a", cond))
    b = asyncio.create_task(waiter("b", cond))
    await asyncio.sleep(1)
    async with cond:
        cond.notify(1)
        a.cancel()
        print(f"{elapsed()} main: notify(1), then cancelled a")
    await asyncio.sleep(1)
    print(f"{elapsed()} main: b done() = {b.done()}")
    async with cond:
        cond.notify(1)
    await asyncio.gather(a, b, return_exceptions=True)


asyncio.run(main())

# expect 3.11:
# 1.0 main: notify(1), then cancelled a
# 1.0 a cancelled
# 2.0 main: b done() = False
# 2.0 b notified
# expect 3.13:
# 1.0 main: notify(1), then cancelled a
# 1.0 a cancelled
# 1.0 b notified
# 2.0 main: b done() = True
