"""FIRST_EXCEPTION: a cancelled task did not fail, so it does not end the wait; a failure does,
and wait reads it (f.exception()), which marks it as retrieved: it is not reported as "Task
exception was never retrieved" when the task is dropped. With ALL_COMPLETED nobody reads it, and
the failure is reported.
(test_wait.cpp: "FIRST_EXCEPTION does not count a cancelled task as failed" and "FIRST_EXCEPTION
reads the failure: it is not reported as never retrieved")"""
import asyncio
import gc


def now():
    return f"{asyncio.get_running_loop().time():.1f}"


async def after(delay, value):
    await asyncio.sleep(delay)
    return value


async def fail_after(delay, what):
    await asyncio.sleep(delay)
    raise RuntimeError(what)


async def main():
    loop = asyncio.get_running_loop()
    loop.set_exception_handler(lambda loop, context: print(f"reported: {context['message']}"))

    tasks = [asyncio.create_task(after(1, 1)), asyncio.create_task(after(2, 2)),
             asyncio.create_task(after(3, 3))]
    tasks[1].cancel()
    done, pending = await asyncio.wait(tasks, return_when=asyncio.FIRST_EXCEPTION)
    print(f"{now()} a cancelled task: {len(done)} done, {len(pending)} pending")

    for mode in (asyncio.FIRST_EXCEPTION, asyncio.ALL_COMPLETED):
        tasks = [asyncio.create_task(after(2, 2)), asyncio.create_task(fail_after(1, "broken"))]
        done, pending = await asyncio.wait(tasks, return_when=mode)
        print(f"{now()} {mode}: {len(done)} done, {len(pending)} pending")
        await asyncio.sleep(2)
        del tasks, done, pending
        gc.collect()
        print(f"{now()} dropped the tasks")


asyncio.run(main())

# expect 3.11:
# 3.0 a cancelled task: 3 done, 0 pending
# 4.0 FIRST_EXCEPTION: 1 done, 1 pending
# 6.0 dropped the tasks
# 8.0 ALL_COMPLETED: 2 done, 0 pending
# reported: Task exception was never retrieved
# 10.0 dropped the tasks
