import asyncio


async def numbers():
    try:
        yield 1
        yield 2
    finally:
        print("generator: finally")


async def main():
    stream = numbers()
    async for value in stream:
        print("got", value)
        break
    print("after the loop")
    await stream.aclose()
    print("after aclose()")


asyncio.run(main())
