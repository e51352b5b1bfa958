"""Cancel messages and timeouts. A task cancelled with a message while it waits in wait_for()
gets that message; in 3.11 wait_for cancels the inner task without one, and from 3.12 on (where
wait_for is built on timeout()) the inner task gets the same message. Inside a timeout() scope the
body is the task itself, so it sees the message. A deadline cancels without a message.
(test_wait_for.cpp: "wait_for cancels the inner task without the caller's message";
test_timeout.cpp: "a cancel message passes through a scope; a deadline has none")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def inner(name, delay=10):
    try:
        await asyncio.sleep(delay)
    except asyncio.CancelledError as error:
        print(at(f"{name} sees {error.args}"))
        raise


async def in_wait_for():
    await asyncio.wait_for(inner("inner"), 5)


async def in_scope(delay):
    async with asyncio.timeout(delay):
        await inner("body")


async def main():
    for body in (in_wait_for, lambda: in_scope(5)):
        for name, how in [("cancel()", ()), ("cancel('')", ("",)), ("cancel('m')", ("m",))]:
            task = asyncio.create_task(body())
            await asyncio.sleep(1)
            print(at(name))
            task.cancel(*how)
            try:
                await task
            except asyncio.CancelledError as error:
                print(at(f"main sees {error.args}"))
    try:
        await in_scope(1)
    except TimeoutError:
        print(at("TimeoutError"))


asyncio.run(main())

# expect 3.11:
# 1.0 cancel()
# 1.0 inner sees ()
# 1.0 main sees ()
# 2.0 cancel('')
# 2.0 inner sees ()
# 2.0 main sees ('',)
# 3.0 cancel('m')
# 3.0 inner sees ()
# 3.0 main sees ('m',)
# 4.0 cancel()
# 4.0 body sees ()
# 4.0 main sees ()
# 5.0 cancel('')
# 5.0 body sees ('',)
# 5.0 main sees ('',)
# 6.0 cancel('m')
# 6.0 body sees ('m',)
# 6.0 main sees ('m',)
# 7.0 body sees ()
# 7.0 TimeoutError
# expect 3.12:
# 1.0 cancel()
# 1.0 inner sees ()
# 1.0 main sees ()
# 2.0 cancel('')
# 2.0 inner sees ('',)
# 2.0 main sees ('',)
# 3.0 cancel('m')
# 3.0 inner sees ('m',)
# 3.0 main sees ('m',)
# 4.0 cancel()
# 4.0 body sees ()
# 4.0 main sees ()
# 5.0 cancel('')
# 5.0 body sees ('',)
# 5.0 main sees ('',)
# 6.0 cancel('m')
# 6.0 body sees ('m',)
# 6.0 main sees ('m',)
# 7.0 body sees ()
# 7.0 TimeoutError
