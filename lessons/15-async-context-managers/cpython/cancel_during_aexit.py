"""asyncio does not shield __aexit__: a cancellation that reaches the task while __aexit__ awaits
interrupts the teardown at that await, and CancelledError leaves at once (here at 2.5, where aio's
shielded teardown finishes first and lets it out at 4.0). A cancellation during __aenter__ is the
same: __aenter__ stops there, and __aexit__ is never called.
(test_async_with.cpp: "a cancellation during exit: the teardown finishes, then it leaves")"""
import asyncio


def at(what):
    print(f"{asyncio.get_running_loop().time():.1f} {what}")


class Resource:
    def __init__(self, name, teardown):
        self.name, self.teardown = name, teardown

    async def __aenter__(self):
        at(f"{self.name} enters")
        try:
            await asyncio.sleep(1)
        except asyncio.CancelledError:
            at(f"{self.name} setup interrupted")
            raise
        at(f"{self.name} setup done")
        return self

    async def __aexit__(self, kind, error, traceback):
        at(f"{self.name} exits, told {kind.__name__ if kind else None}")
        try:
            await asyncio.sleep(self.teardown)
        except asyncio.CancelledError:
            at(f"{self.name} teardown interrupted")
            raise
        at(f"{self.name} teardown done")


async def scoped(teardown):
    async with Resource("db", teardown):
        await asyncio.sleep(1)
        at("body done")


async def cancel_at(delay, message, teardown):
    task = asyncio.create_task(scoped(teardown))
    await asyncio.sleep(delay)
    at("cancel")
    task.cancel(message)
    try:
        await task
    except asyncio.CancelledError as error:
        at(f"scope ended: CancelledError: {error}")


async def main():
    print("== during __aexit__")
    await cancel_at(2.5, "late", 2)
    print("== during __aenter__")
    await cancel_at(0.5, "early", 2)


asyncio.run(main())

# expect 3.11:
# == during __aexit__
# 0.0 db enters
# 1.0 db setup done
# 2.0 body done
# 2.0 db exits, told None
# 2.5 cancel
# 2.5 db teardown interrupted
# 2.5 scope ended: CancelledError: late
# == during __aenter__
# 2.5 db enters
# 3.0 cancel
# 3.0 db setup interrupted
# 3.0 scope ended: CancelledError: early
