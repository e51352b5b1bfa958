"""aio's finish_shielded, written with asyncio: run the teardown as a task, await it through
shield() until it is done, keep a cancellation for the end. The teardown runs to its end whatever
cancellations come; the task resumes two loop iterations after the teardown's task finished, and
that task takes its first step one iteration after it was created: three iterations for a
teardown with nothing to wait for. aio's finish_shielded prints the same order and times.
(test_async_with.cpp: the l15.ex1 section)"""
import asyncio


def at(what):
    print(f"{asyncio.get_running_loop().time():.1f} {what}")


async def finish_shielded(coro):
    task = asyncio.create_task(coro)
    cancellation = None
    while not task.done():
        try:
            await asyncio.shield(task)
        except asyncio.CancelledError as error:
            if not task.cancelled():
                cancellation = error
        except BaseException:
            pass  # the teardown's own error: task.result() raises it again below
    if cancellation is not None:
        if not task.cancelled():
            task.exception()  # the teardown's own error loses to the cancellation: retrieve it
        raise cancellation
    return task.result()


async def ticker(count):
    for i in range(count):
        print(f"tick {i}")
        await asyncio.sleep(0)


async def instant_teardown():
    print("teardown runs")
    return 1


async def teardown(delay, fail=False):
    await asyncio.sleep(delay)
    at("teardown done")
    if fail:
        raise RuntimeError("teardown failed")


async def shielded_sleeper(coro):
    try:
        await finish_shielded(coro)
    except asyncio.CancelledError as error:
        at(f"CancelledError({error}) after the teardown, "
           f"cancelling() = {asyncio.current_task().cancelling()}")
        raise
    at("no cancellation came out")


async def cancel_during(cancels, coro):
    task = asyncio.create_task(shielded_sleeper(coro))
    slept = 0
    for when in cancels:
        await asyncio.sleep(when - slept)
        slept = when
        at("cancel")
        task.cancel("stop")
    try:
        await task
    except BaseException as error:
        at(f"scope ended: {type(error).__name__}: {error}")
    at(f"task cancelled() = {task.cancelled()}")


async def main():
    print("== hops")
    ticks = asyncio.create_task(ticker(5))
    await finish_shielded(instant_teardown())
    print("finish_shielded returned")
    await ticks
    print("== one cancellation")
    await cancel_during([0.5], teardown(2))
    print("== two cancellations")
    await cancel_during([0.5, 1.5], teardown(2))
    print("== the teardown fails")
    await cancel_during([], teardown(1, fail=True))
    print("== the teardown fails, and a cancellation came")
    await cancel_during([0.5], teardown(1, fail=True))


asyncio.run(main())

# expect 3.11:
# == hops
# tick 0
# teardown runs
# tick 1
# tick 2
# finish_shielded returned
# tick 3
# tick 4
# == one cancellation
# 0.5 cancel
# 2.0 teardown done
# 2.0 CancelledError(stop) after the teardown, cancelling() = 1
# 2.0 scope ended: CancelledError: stop
# 2.0 task cancelled() = True
# == two cancellations
# 2.5 cancel
# 3.5 cancel
# 4.0 teardown done
# 4.0 CancelledError(stop) after the teardown, cancelling() = 2
# 4.0 scope ended: CancelledError: stop
# 4.0 task cancelled() = True
# == the teardown fails
# 5.0 teardown done
# 5.0 scope ended: RuntimeError: teardown failed
# 5.0 task cancelled() = False
# == the teardown fails, and a cancellation came
# 5.5 cancel
# 6.0 teardown done
# 6.0 CancelledError(stop) after the teardown, cancelling() = 1
# 6.0 scope ended: CancelledError: stop
# 6.0 task cancelled() = True
