"""A fan-out with a deadline per call: gather(wait_for(a), wait_for(b), return_exceptions=True).
The calls run at once; the slow one is cancelled at its own deadline and its TimeoutError is
its result, in its place; the fast one is not cut short. (aio::fan_out, lesson 18.)"""
import asyncio


def now():
    return f"{asyncio.get_running_loop().time():.1f}"


async def upstream(name, delay):
    print(now(), name, "starts")
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError:
        print(now(), name, "cancelled")
        raise
    print(now(), name, "answers")
    return f"{name} done"


async def main():
    outcomes = await asyncio.gather(
        asyncio.wait_for(upstream("slow", 5), 1),
        asyncio.wait_for(upstream("fast", 0.2), 1),
        return_exceptions=True)
    print(now(), [type(o).__name__ if isinstance(o, BaseException) else o for o in outcomes])


asyncio.run(main())

# expect 3.11:
# 0.0 slow starts
# 0.0 fast starts
# 0.2 fast answers
# 1.0 slow cancelled
# 1.0 ['TimeoutError', 'fast done']
