"""A chain of awaits that are all running at once (a awaits b awaits c ...) is as deep as it is
long, like nested calls: CPython raises RecursionError before the chain reaches the recursion
limit, 1000 by default. aio::Coro behaves the same way on the C++ stack. (chapter 03, "Step 4")"""
import asyncio
import sys

deepest = 0


async def down(n):
    global deepest
    deepest = n
    return await down(n + 1)


async def main():
    try:
        await down(1)
    except RecursionError:
        print(f"RecursionError, deeper than 900 and below the limit of "
              f"{sys.getrecursionlimit()}: {900 < deepest < sys.getrecursionlimit()}")


asyncio.run(main())

# expect 3.11:
# RecursionError, deeper than 900 and below the limit of 1000: True
