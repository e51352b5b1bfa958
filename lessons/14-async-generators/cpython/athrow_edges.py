"""athrow() on an async generator that has not started raises the error at once, without
running the body, and the generator is then closed; on a finished generator it returns None.
(test_async_generator.cpp: "athrow before the start closes the generator unrun", "athrow on a
finished generator gives nothing")"""
import asyncio


async def gen():
    print("the body runs")
    yield 1


async def main():
    before = gen()
    try:
        await before.athrow(ValueError("before start"))
        print("athrow returned")
    except ValueError as error:
        print(f"athrow raised {error}")
    try:
        await before.__anext__()
    except StopAsyncIteration:
        print("then StopAsyncIteration")
    finished = gen()
    async for _ in finished:
        pass
    print(f"athrow gave {await finished.athrow(ValueError('after the end'))}")


asyncio.run(main())

# expect 3.11:
# athrow raised before start
# then StopAsyncIteration
# the body runs
# athrow gave None
