"""3.11's wait_for drops a cancellation that comes in the two loop iterations between the inner
task's end and wait_for's wake-up: the caller gets the result and goes on, cancelling() at 1.
3.12 rewrote wait_for on top of asyncio.timeout: the coroutine runs in the caller's task, so the
caller has its result at once, before main cancels it, and the cancel reaches it at its next
await: it ends cancelled.
(test_wait_for.cpp: "3.11 quirk: a caller cancelled just after the task finished ...")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def inner():
    await asyncio.sleep(1)
    print(at("inner returns"))
    return 5


async def caller():
    value = await asyncio.wait_for(inner(), 3)
    print(at(f"caller got {value}, cancelling={asyncio.current_task().cancelling()}"))
    await asyncio.sleep(0)
    print(at("caller goes on"))
    return value


async def main():
    task = asyncio.create_task(caller())
    await asyncio.sleep(0)
    await asyncio.sleep(0)
    await asyncio.sleep(1)
    print(at("main cancels the caller"))
    task.cancel()
    try:
        value = await task
        print(at(f"caller returned {value}, cancelled={task.cancelled()}"))
    except asyncio.CancelledError:
        print(at(f"caller raised CancelledError, cancelled={task.cancelled()}"))


asyncio.run(main())

# expect 3.11:
# 1.0 inner returns
# 1.0 main cancels the caller
# 1.0 caller got 5, cancelling=1
# 1.0 caller goes on
# 1.0 caller returned 5, cancelled=False
# expect 3.12:
# 1.0 inner returns
# 1.0 caller got 5, cancelling=0
# 1.0 main cancels the caller
# 1.0 caller raised CancelledError, cancelled=True
