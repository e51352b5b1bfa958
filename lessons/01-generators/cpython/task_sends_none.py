"""asyncio's Task drives its coroutine with send(None): a bare `yield` at the bottom of an await
chain hands control to the event loop, and the Task resumes the coroutine in a later turn of the
loop, sending None. (chapter 01, "The asyncio idea"; lesson 03 builds such a driver)"""
import asyncio


class Probe:
    """An awaitable whose __await__ is a generator: the yield reaches the Task directly."""

    def __await__(self):
        print("  Probe yields to the task")
        received = yield
        print(f"  Probe was resumed with {received!r}")
        return "done"


async def main():
    print("main awaits Probe()")
    result = await Probe()
    print(f"main got {result!r}")


asyncio.run(main())

# expect 3.11:
# main awaits Probe()
#   Probe yields to the task
#   Probe was resumed with None
# main got 'done'
