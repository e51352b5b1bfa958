import asyncio


async def rows(n):
    try:
        for i in range(n):
            await asyncio.sleep(0)  # the next row arrives
            yield i
        print("all rows read")
    finally:
        print("the stream ends")


async def main():
    stream = rows(1_000_000)
    async for row in stream:
        if row == 2:
            break
    print("after the loop")
    await stream.aclose()
    print("after aclose")


asyncio.run(main())
