"""Lesson 09's second program in asyncio: nested timeouts (a budget for the whole request, a
shorter limit per attempt), a deadline that moves (reschedule), and a body that swallows the
cancellation. demo_nested.cpp prints the same lines."""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time() - start:.1f}"


async def attempt(number, seconds):
    print(f"{elapsed()} attempt {number}: sent, the reply takes {seconds:.1f} s")
    try:
        await asyncio.sleep(seconds)
    except asyncio.CancelledError:
        print(f"{elapsed()} attempt {number}: cancelled")
        raise
    return f"reply to attempt {number}"


# book:nested
async def request(durations):
    """Tries each attempt for 2 s at most, until one replies."""
    for number, seconds in enumerate(durations, 1):
        try:
            async with asyncio.timeout(2):
                return await attempt(number, seconds)
        except TimeoutError:
            print(f"{elapsed()} attempt {number}: no reply within 2 s")
    return "no reply at all"


async def request_with_budget(durations):
    """The whole request may take 5 s, retries included."""
    try:
        async with asyncio.timeout(5):
            reply = await request(durations)
        print(f"{elapsed()} request: {reply}")
    except TimeoutError:
        print(f"{elapsed()} request: gave up, the 5 s budget is spent")
# end book:nested


# book:keep-alive
async def download(scope, gaps):
    """Each chunk that arrives buys 2 more seconds."""
    loop = asyncio.get_running_loop()
    for number, gap in enumerate(gaps, 1):
        await asyncio.sleep(gap)
        scope.reschedule(loop.time() + 2)
        print(f"{elapsed()} chunk {number} arrived, the deadline moves to {scope.when() - start:.1f}")
    print(f"{elapsed()} download complete")


async def download_while_data_flows(gaps):
    try:
        async with asyncio.timeout(2) as scope:
            await download(scope, gaps)
    except TimeoutError:
        print(f"{elapsed()} stalled for 2 s: TimeoutError")
    print(f"{elapsed()} expired() = {scope.expired()}")
# end book:keep-alive


# book:swallow
async def stubborn():
    try:
        await asyncio.sleep(10)
    except asyncio.CancelledError:  # the bug: the cancellation stops here
        print(f"{elapsed()} stubborn: cancelled, but carries on")
    await asyncio.sleep(1)
    return "finished anyway"
# end book:swallow


async def main():
    global start
    start = asyncio.get_running_loop().time()

    print("== nested: 2 s per attempt, 5 s for the whole request")
    await request_with_budget([3, 3, 3])
    await request_with_budget([3, 1.5])

    print("== reschedule: at most 2 s without data")
    await download_while_data_flows([1.5, 1.5, 1.0])
    await download_while_data_flows([1.5, 2.5])

    print("== a body that swallows the cancellation")
    async with asyncio.timeout(1) as scope:
        result = await stubborn()
    print(f"{elapsed()} no TimeoutError: {result}, expired() = {scope.expired()}")


asyncio.run(main())
