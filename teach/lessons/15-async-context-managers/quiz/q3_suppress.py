import asyncio
import contextlib


@contextlib.asynccontextmanager
async def forgiving():
    try:
        yield
    except KeyError as error:
        print("handled", repr(error))


async def main():
    async with forgiving():
        raise KeyError("k")
    print("goes on")
    try:
        async with forgiving():
            raise ValueError("v")
    except ValueError:
        print("ValueError passed through")


asyncio.run(main())
