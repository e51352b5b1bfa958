"""Lesson 06, demo 2 in Python: demo_factorial.cpp mirrors it line for line.

Three factorials computed side by side: each sleeps a second between its steps, so their lines
interleave, and gather hands back the three results in argument order. Run it with:
python3 lessons/06-gather/mirror_factorial.py
"""
import asyncio

started = 0.0


def now():
    """Seconds since main() started, on the loop's clock, as "1.0"."""
    return f"{asyncio.get_running_loop().time() - started:.1f}"


# book:factorial
async def factorial(name, n):
    product = 1
    for i in range(2, n + 1):
        print(f"{now()} {name}: {n}! so far {product}, now times {i}")
        await asyncio.sleep(1)
        product *= i
    print(f"{now()} {name}: {n}! = {product}")
    return product
# end book:factorial


async def main():
    global started
    started = asyncio.get_running_loop().time()
    # book:gather
    x, y, z = await asyncio.gather(factorial("A", 2), factorial("B", 3), factorial("C", 4))
    print(f"{now()} gathered [{x}, {y}, {z}]")
    # end book:gather


asyncio.run(main())
