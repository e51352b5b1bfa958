"""One step at a time: while a task waits inside an async generator's body, a second __anext__
raises RuntimeError; the first step then finishes normally.
(test_async_generator.cpp: "a second next() while the body waits is refused")"""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def ticks(count):
    for i in range(count):
        await asyncio.sleep(1)
        print(f"{elapsed()} ticks yields {i}")
        yield i


async def first_consumer(source):
    item = await source.__anext__()
    print(f"{elapsed()} the first consumer got {item}")


async def main():
    source = ticks(2)
    first = asyncio.create_task(first_consumer(source))
    await asyncio.sleep(0)
    try:
        await source.__anext__()
        print(f"{elapsed()} the second consumer got a value")
    except RuntimeError as error:
        print(f"{elapsed()} RuntimeError: {error}")
    await first
    await source.aclose()


asyncio.run(main())

# expect 3.11:
# 0.0 RuntimeError: anext(): asynchronous generator is already running
# 1.0 ticks yields 0
# 1.0 the first consumer got 0
