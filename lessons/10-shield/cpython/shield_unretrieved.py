"""A shielded coroutine whose caller was cancelled still runs to its end; if it fails and nobody
retrieves the failure, the loop reports "Task exception was never retrieved".
(test_shield.cpp: "a shielded coroutine whose caller was cancelled still finishes ...")"""
import asyncio
import gc


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def fails():
    await asyncio.sleep(2)
    print(at("work fails"))
    raise RuntimeError("disk full")


async def waiting():
    await asyncio.shield(fails())


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda loop, context: print(at(f"handler: {context['message']}: "
                                                               f"{context['exception']!r}")))
    task = asyncio.create_task(waiting())
    await asyncio.sleep(1)
    task.cancel()
    try:
        await task
    except asyncio.CancelledError:
        print(at("caller cancelled"))
    await asyncio.sleep(2)
    gc.collect()
    print(at("end"))


asyncio.run(main())

# expect 3.11:
# 1.0 caller cancelled
# 2.0 work fails
# 2.0 handler: Task exception was never retrieved: RuntimeError('disk full')
# 3.0 end
