"""gather over futures, in its range form: the values come in argument order whatever order the
futures are set in; with return_exceptions each slot holds the value or the exception; without,
the first exception set ends the gather at once (two iterations later), while the other future
stays pending and can still be set.
(test_gather.cpp: "gather over a vector of futures gives their values in argument order",
"a future's exception reaches the waiter, or its slot")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def main():
    loop = asyncio.get_running_loop()
    futures = [loop.create_future() for _ in range(3)]
    loop.call_later(3, futures[0].set_result, "a")
    loop.call_later(2, futures[1].set_result, "b")
    loop.call_later(1, futures[2].set_result, "c")
    print(at(f"gather: {await asyncio.gather(*futures)}"))

    futures = [loop.create_future() for _ in range(2)]
    loop.call_later(1, futures[0].set_exception, ValueError("bad"))
    loop.call_later(2, futures[1].set_result, "late")
    outcomes = await asyncio.gather(*futures, return_exceptions=True)
    print(at(f"return_exceptions: {outcomes}"))

    futures = [loop.create_future() for _ in range(2)]
    loop.call_later(1, futures[0].set_exception, ValueError("first"))
    loop.call_later(2, futures[1].set_result, "still set")
    try:
        await asyncio.gather(*futures)
    except ValueError as error:
        print(at(f"raises ValueError('{error}'); the other is done: {futures[1].done()}"))
    await asyncio.sleep(2)
    print(at(f"the other holds {futures[1].result()!r}"))


asyncio.run(main())

# expect 3.11:
# 3.0 gather: ['a', 'b', 'c']
# 5.0 return_exceptions: [ValueError('bad'), 'late']
# 6.0 raises ValueError('first'); the other is done: False
# 8.0 the other holds 'still set'
