"""Lesson 09's narrated program in asyncio: three fetches that need 1, 10 and 2 s, each allowed
3 s at most; first with asyncio.wait_for, then with asyncio.timeout. The slow one is cancelled at
3 s, and its TimeoutError only comes once its connection is closed. demo.cpp prints the same
lines."""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time() - start:.1f}"


# book:fetch
async def fetch(name, seconds):
    print(f"{elapsed()} {name}: fetching, needs {seconds} s")
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        print(f"{elapsed()} {name}: cancelled, closing the connection")
        await asyncio.sleep(0.5)
        print(f"{elapsed()} {name}: connection closed")
        raise
    print(f"{elapsed()} {name}: done")
    return f"<{name} page>"
# end book:fetch


# book:with-wait-for
async def fetch_with_wait_for(name, seconds):
    try:
        page = await asyncio.wait_for(fetch(name, seconds), timeout=3)
        print(f"{elapsed()} main: {name} gave {page}")
    except TimeoutError:
        print(f"{elapsed()} main: {name} timed out")
# end book:with-wait-for


# book:with-timeout
async def fetch_with_timeout(name, seconds):
    try:
        async with asyncio.timeout(3):
            page = await fetch(name, seconds)
        print(f"{elapsed()} main: {name} gave {page}")
    except TimeoutError:
        print(f"{elapsed()} main: {name} timed out")
# end book:with-timeout


async def main():
    global start
    start = asyncio.get_running_loop().time()

    print("== wait_for: three fetches, 3 s each at most")
    await asyncio.gather(fetch_with_wait_for("a", 1), fetch_with_wait_for("b", 10),
                         fetch_with_wait_for("c", 2))
    print(f"{elapsed()} main: all three settled")

    print("== timeout: the same, with a scope around each fetch")
    await asyncio.gather(fetch_with_timeout("a", 1), fetch_with_timeout("b", 10),
                         fetch_with_timeout("c", 2))
    print(f"{elapsed()} main: all three settled")


asyncio.run(main())
