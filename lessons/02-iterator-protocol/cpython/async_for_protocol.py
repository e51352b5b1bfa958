"""`async for` is the iterator protocol with an await at each step: it calls __aiter__ once, then
awaits __anext__() until it raises StopAsyncIteration. (chapter 02, "The asyncio idea" and
"Step 6: a preview of the async protocol")"""
import asyncio


class Countdown:
    def __init__(self, start):
        self.current = start

    def __aiter__(self):
        print("  __aiter__")
        return self

    async def __anext__(self):
        print(f"  __anext__ at {self.current}")
        await asyncio.sleep(0)
        if self.current < 1:
            raise StopAsyncIteration
        self.current -= 1
        return self.current + 1


async def main():
    async for n in Countdown(2):
        print(f"got {n}")


asyncio.run(main())

# expect 3.11:
#   __aiter__
#   __anext__ at 2
# got 2
#   __anext__ at 1
# got 1
#   __anext__ at 0
