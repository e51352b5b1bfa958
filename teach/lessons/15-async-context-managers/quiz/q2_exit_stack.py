import asyncio
import contextlib


@contextlib.asynccontextmanager
async def resource(name):
    print("open", name)
    try:
        yield name
    finally:
        print("close", name)


async def say(text):
    print(text)


async def main():
    async with contextlib.AsyncExitStack() as stack:
        for name in ("x", "y", "z"):
            await stack.enter_async_context(resource(name))
        stack.push_async_callback(say, "callback")
        print("body")


asyncio.run(main())
