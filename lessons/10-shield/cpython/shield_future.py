"""shield() takes a future as well as a task. Cancelling the task that awaits the shield does not
cancel the future: the task gets CancelledError at once, and the future can still be set later.
When the future is set, the awaiting task resumes two iterations later (the shield's done
callback on the future, then the outer future's), after tick 0 of a ticker started just after
set_result and before tick 1. When someone else cancels the future, the awaiting task gets
CancelledError without the message.
(test_shield.cpp: "shield of a future: the caller's cancel stops at the shield",
"shield of a future resumes two iterations after set_result", "a future cancelled under a shield
cancels the caller without the message")"""
import asyncio


def at(what):
    return f"{asyncio.get_running_loop().time():.1f} {what}"


async def ticker(count, log):
    for i in range(count):
        log.append(f"tick {i}")
        await asyncio.sleep(0)


async def caller(future, log):
    try:
        value = await asyncio.shield(future)
        log.append(at(f"caller got {value}"))
    except asyncio.CancelledError as error:
        log.append(at(f"caller sees CancelledError{error.args}"))
        raise


async def main():
    loop = asyncio.get_running_loop()
    log = []
    future = loop.create_future()
    task = asyncio.create_task(caller(future, log))
    loop.call_later(2, future.set_result, 42)
    await asyncio.sleep(1)
    task.cancel("stop")
    await asyncio.sleep(0)
    log.append(at(f"future.cancelled() = {future.cancelled()}"))
    await asyncio.sleep(2)
    log.append(at(f"future.result() = {future.result()}"))

    future = loop.create_future()
    ticks = []

    def set_it():
        future.set_result(7)
        log.append(at("set_result"))
        ticks.append(asyncio.create_task(ticker(3, log)))

    task = asyncio.create_task(caller(future, log))
    loop.call_later(1, set_it)
    await task
    await ticks[0]

    future = loop.create_future()
    task = asyncio.create_task(caller(future, log))
    await asyncio.sleep(1)
    future.cancel("why")
    try:
        await task
    except asyncio.CancelledError:
        log.append(at(f"caller cancelled() = {task.cancelled()}"))
    print("\n".join(log))


asyncio.run(main())

# expect 3.11:
# 1.0 caller sees CancelledError('stop',)
# 1.0 future.cancelled() = False
# 3.0 future.result() = 42
# 4.0 set_result
# tick 0
# 4.0 caller got 7
# tick 1
# tick 2
# 5.0 caller sees CancelledError()
# 5.0 caller cancelled() = True
