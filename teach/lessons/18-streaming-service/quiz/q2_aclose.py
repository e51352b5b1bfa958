import asyncio


async def tokens():
    try:
        for word in ["one", "two", "three"]:
            await asyncio.sleep(0.1)
            yield word
    finally:
        print("cleanup")


async def main():
    stream = tokens()
    async for word in stream:
        print(word)
        if word == "two":
            break
    print("after the loop")
    await stream.aclose()
    print("after aclose")


asyncio.run(main())
