"""asyncio.timeout(delay) reads the loop's clock when it is called, not when the block is
entered: a scope made at 0.0 with a delay of 1 s and entered at 0.5 s expires at 1.0 s.
(test_timeout.cpp: "timeout(delay) counts from the call, not from the co_await")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def main():
    scope = asyncio.timeout(1)
    print(at(f"made, when() = {scope.when():.1f}"))
    await asyncio.sleep(0.5)
    try:
        async with scope:
            print(at("entered"))
            await asyncio.sleep(2)
    except TimeoutError:
        print(at("TimeoutError"))


asyncio.run(main())

# expect 3.11:
# 0.0 made, when() = 1.0
# 0.5 entered
# 1.0 TimeoutError
