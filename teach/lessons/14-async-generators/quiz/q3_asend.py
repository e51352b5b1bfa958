import asyncio


async def echo():
    received = None
    while True:
        received = yield f"echo {received}"


async def main():
    stream = echo()
    print(await stream.asend(None))
    print(await stream.asend("a"))
    print(await anext(stream))
    print(await stream.asend("b"))
    await stream.aclose()


asyncio.run(main())
