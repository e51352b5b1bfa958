"""asend(v) resumes an async generator with v as the value of its yield expression (__anext__
sends None); a non-None value before the first step is refused. athrow(e) raises e at the
yield: a body that catches it may yield again, and athrow returns that value; an error the body
does not catch comes back out of athrow and ends the generator.
(test_async_generator.cpp: the ex2 tests "asend's value ...", "asend before the first step ...",
"athrow raises at the co_yield ...", "an athrow the body does not catch ...")"""
import asyncio


async def echo():
    received = None
    try:
        while True:
            try:
                received = yield f"echo {received}"
            except ValueError as error:
                print(f"echo caught ValueError: {error}")
                received = "recovered"
    except BaseException:
        print("echo ends")
        raise


async def main():
    gen = echo()
    try:
        await gen.asend("early")
    except TypeError as error:
        print(f"refused: {error}")
    print(await gen.__anext__())
    print(await gen.asend("hello"))
    print(await gen.__anext__())
    print(f"athrow gave {await gen.athrow(ValueError('bad'))}")
    print(await gen.asend("again"))
    try:
        await gen.athrow(KeyError("k"))
        print("athrow returned")
    except KeyError as error:
        print(f"the consumer got KeyError: {error}")
    try:
        await gen.__anext__()
    except StopAsyncIteration:
        print("then StopAsyncIteration")


asyncio.run(main())

# expect 3.11:
# refused: can't send non-None value to a just-started async generator
# echo None
# echo hello
# echo None
# echo caught ValueError: bad
# athrow gave echo recovered
# echo again
# echo ends
# the consumer got KeyError: 'k'
# then StopAsyncIteration
