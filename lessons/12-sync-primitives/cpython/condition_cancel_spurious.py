"""asyncio.Condition: a waiter cancelled before any notify(). 3.11 and 3.12 wake nobody else.
3.13 calls notify(1) whenever wait() ends with an error, so the next waiter's wait() returns
without anyone having notified it (a "spurious wakeup", which the condition-variable protocol
allows: wait_for() re-checks its predicate). aio does what 3.11 does here: only a waiter that
was notified passes a notification on. (test_condition.cpp: "a waiter cancelled before any
notify wakes nobody else")"""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def waiter(name, cond):
    async with cond:
        try:
            await cond.wait()
            print(f"{elapsed()} {name}: wait() returned")
        except asyncio.CancelledError:
            print(f"{elapsed()} {name} cancelled")
            raise


async def main():
    cond = asyncio.Condition()
    a = asyncio.create_task(waiter("a", cond))
    b = asyncio.create_task(waiter("b", cond))
    await asyncio.sleep(1)
    a.cancel()
    await asyncio.sleep(1)
    print(f"{elapsed()} main: b done() = {b.done()}")
    async with cond:
        cond.notify()
    await asyncio.gather(a, b, return_exceptions=True)


asyncio.run(main())

# expect 3.11:
# 1.0 a cancelled
# 2.0 main: b done() = False
# 2.0 b: wait() returned
# expect 3.13:
# 1.0 a cancelled
# 1.0 b: wait() returned
# 2.0 main: b done() = True
