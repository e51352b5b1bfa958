"""Cancelling the task that iterates an async generator, while the generator's body awaits,
raises CancelledError at that await inside the body; it leaves the body and the consumer.
(test_async_generator.cpp: "cancelling the consumer lands at the co_await inside the body")"""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def slow():
    try:
        for i in range(3):
            await asyncio.sleep(1)
            yield i
    except asyncio.CancelledError:
        print(f"{elapsed()} body: CancelledError at its await")
        raise


async def consume(name, source):
    async for item in source:
        print(f"{elapsed()} {name} got {item}")
    print(f"{elapsed()} {name} done")


async def main():
    consumer = asyncio.create_task(consume("consumer", slow()))
    await asyncio.sleep(1.5)
    consumer.cancel()
    try:
        await consumer
    except asyncio.CancelledError:
        print(f"{elapsed()} consumer cancelled")


asyncio.run(main())

# expect 3.11:
# 1.0 consumer got 0
# 1.5 body: CancelledError at its await
# 1.5 consumer cancelled
