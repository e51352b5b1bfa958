"""Lesson 14, demo 1 in Python: demo.cpp mirrors it line for line.

Three async generators of three values each, one value a second: consumed one after another,
9 s; consumed by three tasks at once (gather), 3 s. Run it with python3 lessons/14-async-generators/mirror.py
(or through tools/virtual_asyncio.py to skip the waiting).
"""
import asyncio


def elapsed(origin):
    return f"{asyncio.get_running_loop().time() - origin:.1f}"


# book:readings
async def readings(sensor):
    """Three readings of a sensor, one a second: awaits, then yields."""
    for i in range(1, 4):
        await asyncio.sleep(1)  # the sensor takes a second to answer
        yield f"{sensor}{i}"


async def show_all(sensor, origin):
    async for value in readings(sensor):
        print(f"  {elapsed(origin)} s  {value}")
# end book:readings


async def main():
    loop = asyncio.get_running_loop()

    print("1. one after another")
    origin = loop.time()
    await show_all("a", origin)
    await show_all("b", origin)
    await show_all("c", origin)
    print(f"  took {elapsed(origin)} s")

    print("2. three consumers at once")
    origin = loop.time()
    await asyncio.gather(show_all("a", origin), show_all("b", origin), show_all("c", origin))
    print(f"  took {elapsed(origin)} s")


asyncio.run(main())
