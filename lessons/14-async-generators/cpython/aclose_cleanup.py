"""aclose() raises GeneratorExit at the yield where the generator is parked, and returns once
the body has finished, so its cleanup has run, awaits included. On a generator that has not
started, or has finished, it runs nothing. A cleanup that yields again makes aclose() raise
RuntimeError. (test_async_generator.cpp: the ex3 tests "aclose runs the cleanup ...", "aclose
before the start or after the end ...", "a cleanup that yields again ...")"""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def with_cleanup():
    try:
        for i in range(5):
            yield i
    finally:
        print(f"{elapsed()} cleanup starts in {asyncio.current_task().get_name()}")
        await asyncio.sleep(1)
        print(f"{elapsed()} cleanup ends")


async def stubborn():
    try:
        yield 1
    except GeneratorExit:
        pass
    yield 2


async def main():
    gen = with_cleanup()
    print(f"{elapsed()} got {await gen.__anext__()}")
    await gen.aclose()
    print(f"{elapsed()} aclose returned")
    async for _ in gen:
        print("a value after aclose")
    print(f"{elapsed()} then the end")

    unstarted = with_cleanup()
    await unstarted.aclose()
    async for _ in unstarted:
        print("an unstarted generator ran")
    print(f"{elapsed()} closed before the start: the end")

    gen = stubborn()
    await gen.__anext__()
    try:
        await gen.aclose()
        print("aclose returned")
    except RuntimeError as error:
        print(f"{elapsed()} RuntimeError: {error}")


asyncio.run(main())

# expect 3.11:
# 0.0 got 0
# 0.0 cleanup starts in Task-1
# 1.0 cleanup ends
# 1.0 aclose returned
# 1.0 then the end
# 1.0 closed before the start: the end
# 1.0 RuntimeError: async generator ignored GeneratorExit
