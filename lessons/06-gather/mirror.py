"""Lesson 06, demo 1 in Python: demo.cpp mirrors it line for line.

Three fetches of 1 s, 2 s and 1 s: awaited one after another they take 4 s; gathered, they run
side by side and take as long as the longest, 2 s. Run it with:
python3 lessons/06-gather/mirror.py (or through tools/virtual_asyncio.py to skip the waiting).
"""
import asyncio

COLUMNS_PER_SECOND = 10
WIDTH = 40


# book:fetch
async def fetch(name, delay, spans):
    loop = asyncio.get_running_loop()
    start = loop.time()
    await asyncio.sleep(delay)  # the network, as far as this demo is concerned
    spans[name] = (start, loop.time())
    return f"page {name}"
# end book:fetch


# book:one-after-another
async def one_after_another(spans):
    a = await fetch("a", 1, spans)
    b = await fetch("b", 2, spans)
    c = await fetch("c", 1, spans)
    return [a, b, c]
# end book:one-after-another


# book:with-gather
async def with_gather(spans):
    a, b, c = await asyncio.gather(fetch("a", 1, spans), fetch("b", 2, spans), fetch("c", 1, spans))
    return [a, b, c]
# end book:with-gather


def draw(spans, origin):
    """One row per fetch: a column is a tenth of a second, '#' marks the time it was in flight."""
    def column(at):
        return int((at - origin) * COLUMNS_PER_SECOND + 0.5)

    for name in "abc":
        start, end = spans[name]
        first, last = column(start), min(column(end), WIDTH)
        row = " " * first + "#" * (last - first) + " " * (WIDTH - last)
        print(f"  {name} |{row}| {start - origin:.1f}-{end - origin:.1f} s")


async def main():
    loop = asyncio.get_running_loop()

    print("1. one after another")
    spans = {}
    origin = loop.time()
    pages = await one_after_another(spans)
    draw(spans, origin)
    print(f"  results: {', '.join(pages)}")
    print(f"  took {loop.time() - origin:.1f} s")

    print("2. with gather")
    spans = {}
    origin = loop.time()
    pages = await with_gather(spans)
    draw(spans, origin)
    print(f"  results: {', '.join(pages)}")
    print(f"  took {loop.time() - origin:.1f} s")


asyncio.run(main())
