"""A generator still parked when asyncio.run() ends: run() cancels the task that holds it, the
finalizer hook hands the generator to a new task that closes it, and its cleanup starts; but the
loop closes before that task has finished, and reports it as destroyed while pending (on stderr;
the loop's exception handler below prints it). Python 3.12 and 3.13 let that task finish: its
cleanup ends one second later, and nothing is reported.
(test_async_generator.cpp: "a generator still parked when the run ends starts its cleanup")"""
import asyncio


def elapsed():
    return f"{asyncio.get_running_loop().time():.1f}"


async def with_cleanup():
    try:
        for i in range(5):
            yield i
    finally:
        print(f"{elapsed()} cleanup starts")
        await asyncio.sleep(1)
        print(f"{elapsed()} cleanup ends")


async def reader():
    gen = with_cleanup()
    await gen.__anext__()
    print(f"{elapsed()} reader sleeps")
    await asyncio.sleep(10)


async def main():
    asyncio.get_running_loop().set_exception_handler(
        lambda loop, context: print(f"- the loop reported: {context['message'].rstrip('!')}"))
    asyncio.create_task(reader(), name="reader")
    await asyncio.sleep(1)
    print(f"{elapsed()} main ends")


asyncio.run(main())

# expect 3.11:
# 0.0 reader sleeps
# 1.0 main ends
# 1.0 cleanup starts
# - the loop reported: Task was destroyed but it is pending
# expect 3.12:
# 0.0 reader sleeps
# 1.0 main ends
# 1.0 cleanup starts
# 2.0 cleanup ends
