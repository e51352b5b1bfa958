import asyncio


class Resource:
    def __init__(self, name):
        self.name = name

    async def __aenter__(self):
        print("enter", self.name)
        return self

    async def __aexit__(self, kind, error, traceback):
        print("exit", self.name, kind.__name__ if kind else None)
        return False


async def main():
    try:
        async with Resource("a"), Resource("b"):
            print("body")
            raise ValueError("oops")
    except ValueError:
        print("caught ValueError")


asyncio.run(main())
